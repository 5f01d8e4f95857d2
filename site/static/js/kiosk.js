// The counter survey's kiosk, enhancements only: every kiosk page works without this file.
//
// - A page whose main element has data-kiosk-return (the reason step, a refusal) goes back
//   to that start after data-kiosk-pause seconds without activity. Any key, touch, click,
//   wheel or focus change starts the pause again, so a visitor is never cut off while
//   answering (WCAG 2.2.1), and data-kiosk-warning seconds before the return a warning
//   says so, in time to touch the screen and stay.
// - The faces' thank-you banner (data-kiosk-dismiss) goes after that many seconds, and the
//   address loses its ?thanks so that reloading the start does not thank anyone again.
(() => {
  "use strict";

  const ACTIVITY = ["keydown", "pointerdown", "touchstart", "wheel", "focusin", "input"];

  const returnAfterAPause = (main) => {
    const home = main.dataset.kioskReturn;
    const pause = Number(main.dataset.kioskPause) * 1000;
    if (!home || !(pause > 0)) {
      return;
    }
    const warnBefore = Math.min(Math.max(Number(main.dataset.kioskWarning) * 1000 || 0, 0), pause);
    const note = document.getElementById("kiosk-return-note");
    const warning = document.getElementById("kiosk-return-warning");
    if (note) {
      note.hidden = false; // only true now that this script runs
    }
    let warnTimer = 0;
    let returnTimer = 0;
    let leaving = false;
    const stop = () => {
      window.clearTimeout(warnTimer);
      window.clearTimeout(returnTimer);
    };
    const restart = () => {
      if (leaving) {
        return;
      }
      stop();
      if (warning && warning.textContent) {
        warning.textContent = "";
      }
      if (warning && warnBefore > 0) {
        warnTimer = window.setTimeout(() => {
          warning.textContent = warning.dataset.text || "";
        }, pause - warnBefore);
      }
      returnTimer = window.setTimeout(() => {
        leaving = true;
        window.location.replace(home);
      }, pause);
    };
    for (const type of ACTIVITY) {
      document.addEventListener(type, restart, { capture: true, passive: true });
    }
    // A form sent (a reason, or skip) goes on by itself; the pause must not race it.
    document.addEventListener("submit", () => {
      leaving = true;
      stop();
    });
    // Back from the browser's cache: the pause starts afresh.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) {
        leaving = false;
        restart();
      }
    });
    restart();
  };

  const dismissTheThanks = (banner) => {
    const seconds = Number(banner.dataset.kioskDismiss);
    if (!(seconds > 0)) {
      return;
    }
    window.setTimeout(() => {
      banner.hidden = true;
      const url = new URL(window.location.href);
      if (url.searchParams.has("thanks")) {
        url.searchParams.delete("thanks");
        window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
      }
    }, seconds * 1000);
  };

  const main = document.querySelector("main[data-kiosk-return]");
  if (main) {
    returnAfterAPause(main);
  }
  const banner = document.querySelector("[data-kiosk-dismiss]");
  if (banner) {
    dismissTheThanks(banner);
  }
})();
