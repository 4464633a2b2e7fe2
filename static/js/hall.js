/* The hall's devices. Ticket: print once on arrival from the kiosk, then go back to the kiosk.
   Display: when the newest call changes, chime (WebAudio, no file) and speak it in Vietnamese
   when the browser has a "vi" voice. Polling (htmx, every second) reconnects by itself after a
   server restart; nothing accumulates between polls. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
    var ticket = document.querySelector("[data-autoprint='1']");
    if (ticket) {
      window.addEventListener("afterprint", function () {
        var back = document.querySelector("[data-testid='back-to-kiosk']");
        if (back) setTimeout(function () { window.location.href = back.href; }, 1500);
      });
      setTimeout(function () { window.print(); }, 300);
    }
    if (document.getElementById("display-state")) display();
  });

  function display() {
    var audio = null;
    var button = document.querySelector("[data-sound-on]");
    var latest = current(document).latest;

    function context() {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!audio && Ctx) audio = new Ctx();
      if (audio && audio.state === "suspended") audio.resume();
      return audio;
    }
    if (button) {
      button.addEventListener("click", function () { context(); button.hidden = true; });
    }

    function current(root) {
      var grid = root.querySelector("[data-latest]");
      if (!grid) return { latest: 0 };
      return {
        latest: parseInt(grid.dataset.latest || "0", 10),
        number: grid.dataset.number,
        counter: grid.dataset.counter,
      };
    }

    function chime() {
      var ctx = context();
      if (!ctx) return;
      [659.25, 523.25].forEach(function (freq, i) {
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        var start = ctx.currentTime + i * 0.45;
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.4, start + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.9);
        osc.connect(gain).connect(ctx.destination);
        osc.start(start);
        osc.stop(start + 1);
      });
    }

    function speak(number, counter) {
      if (!("speechSynthesis" in window)) return;
      var voice = window.speechSynthesis.getVoices().find(function (v) {
        return (v.lang || "").toLowerCase().indexOf("vi") === 0;
      });
      if (!voice) return;
      var words = new SpeechSynthesisUtterance(
        "Mời công dân số " + number + " đến quầy số " + counter
      );
      words.voice = voice;
      words.lang = voice.lang;
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(words);
    }

    // The fragment replaces itself (outerHTML): read the new one from the document.
    document.body.addEventListener("htmx:afterSettle", function () {
      var state = document.getElementById("display-state");
      if (!state) return;
      var now = current(state);
      if (now.latest > latest && now.number) {
        document.body.dataset.lastSpoken = now.number;
        var cell = state.querySelector("[data-testid='display-counter-" + now.counter + "']");
        if (cell) cell.classList.add("flash");
        chime();
        setTimeout(function () { speak(now.number, now.counter); }, 900);
      }
      latest = now.latest;
    });
  }
})();
