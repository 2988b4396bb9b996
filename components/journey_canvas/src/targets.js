// What lies under the pointer on the canvas: a free output port, a connection, or a step card.

const PORT_RADIUS = 28; // px around an output dot (or its "+") that counts as dropping on it

function centerOf(element) {
  const r = element.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
}

function freePortNear(root, x, y, wired) {
  let best = null;
  let bestDistance = PORT_RADIUS;
  for (const handle of root.querySelectorAll(".vue-flow__handle.source")) {
    const nodeId = handle.getAttribute("data-nodeid");
    const port = handle.getAttribute("data-handleid");
    if ((wired[nodeId] || []).includes(port)) continue;
    for (const element of [handle, handle.parentElement.querySelector(`.jc-add[data-port="${CSS.escape(port)}"]`)]) {
      if (!element) continue;
      const c = centerOf(element);
      const distance = Math.hypot(c.x - x, c.y - y);
      if (distance < bestDistance) {
        best = { source: nodeId, port };
        bestDistance = distance;
      }
    }
  }
  return best;
}

function edgeAt(root, x, y) {
  for (const element of document.elementsFromPoint(x, y)) {
    const edge = element.closest && element.closest(".vue-flow__edge");
    if (edge && root.contains(edge)) return edge.getAttribute("data-id");
  }
  return null;
}

export function dropTarget(root, x, y, wired) {
  const port = freePortNear(root, x, y, wired);
  if (port) return port;
  const edge = edgeAt(root, x, y);
  return edge ? { edge } : {};
}

export function nodeUnderPointer(root, x, y) {
  for (const element of document.elementsFromPoint(x, y)) {
    const node = element.closest && element.closest(".vue-flow__node");
    if (node && root.contains(node)) return node.getAttribute("data-id");
  }
  return null;
}
