// The ES module NiceGUI serves as "journey-canvas": the canvas component plus its styles.
// The styles are inlined and added synchronously, so Vue Flow measures nodes with their final size
// (a <link> loading later made the first fit-view wrong).
import flowCss from "@vue-flow/core/dist/style.css?inline";
import themeCss from "@vue-flow/core/dist/theme-default.css?inline";
import controlsCss from "@vue-flow/controls/dist/style.css?inline";
import minimapCss from "@vue-flow/minimap/dist/style.css?inline";
import canvasCss from "./canvas.css?inline";
import JourneyCanvas from "./JourneyCanvas.vue";

if (!document.getElementById("journey-canvas-styles")) {
  const style = document.createElement("style");
  style.id = "journey-canvas-styles";
  style.textContent = [flowCss, themeCss, controlsCss, minimapCss, canvasCss].join("\n");
  document.head.appendChild(style);
}

export { JourneyCanvas };
export default JourneyCanvas;
