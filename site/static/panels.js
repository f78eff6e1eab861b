// Precomputed slider panels on the static course pages (no kernel, no framework).
// tools/build_site.py renders a panel's figure for every combination of its grid values into
// <base>/<i>-<j>-....png (one index per control) and writes the controls; this script swaps the
// image, the value readouts, the status line and the panel's numbers (if it has them) when a control moves.
// Settings that draw the same picture (sliders the panel ignores there) share one file: config.alias maps
// such a key to the key of its file, and the status and numbers are stored under the file's key.
"use strict";

function setUpPanel(panel) {
  const config = JSON.parse(panel.dataset.panel);
  const controls = Array.from(panel.querySelectorAll("[data-slider]"));
  const image = panel.querySelector("img.bbh-panel-image");
  const status = panel.querySelector(".bbh-status");
  const numbers = panel.querySelector(".bbh-readout");

  function show() {
    const indices = controls.map((control, i) => {
      const index = Number(control.value);
      const label = config.sliders[i].labels[index];
      const readout = control.nextElementSibling;
      if (readout && readout.tagName === "OUTPUT") {
        readout.textContent = label;
        control.setAttribute("aria-valuetext", label);
      }
      return index;
    });
    const key = indices.join("-");
    const file = (config.alias || {})[key] || key;
    image.src = config.base + "/" + file + ".png";
    status.textContent = config.status[file] || "";
    if (numbers) {
      numbers.textContent = config.readout[file] || "";
    }
    panel.dataset.key = key;
  }

  for (const control of controls) {
    control.addEventListener("input", show);
  }
  show();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".bbh-panel").forEach(setUpPanel);
});
