import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// A library build: NiceGUI serves dist/ through its import map as "journey-canvas" and provides Vue itself.
export default defineConfig({
  plugins: [vue()],
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    lib: {
      entry: "src/index.js",
      formats: ["es"],
      fileName: () => "index.js",
    },
    rollupOptions: { external: ["vue"] },
  },
});
