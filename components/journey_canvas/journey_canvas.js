// NiceGUI loads this file as the element's Vue component; the implementation is the vite-built
// "journey-canvas" ES module (see src/), served through NiceGUI's import map.
export { default } from "journey-canvas";
