// The ES module NiceGUI serves as "journey-canvas": the canvas component, with its stylesheet loaded once.
import JourneyCanvas from "./JourneyCanvas.vue";

export { JourneyCanvas };
export default JourneyCanvas;
