// Camera check-in (the check-in page, inspections/checkin.html): the officer opens the phone's
// camera in the page and holds it to the QR code of the inspection notice. The browser's own
// BarcodeDetector reads it where there is one; elsewhere a frame is sent every FRAME_EVERY ms to
// the server (inspections:checkin_scan), which reads it with zxing-cpp. Once a code is read it is
// put in the code field and the form submitted, exactly as a pasted code. Without a camera, on a
// plain-HTTP address, or when the officer refuses the camera, the pasted or typed code remains.
(function () {
  "use strict";

  var FRAME_EVERY = 700;     // ms between frames sent to the server
  var DETECT_EVERY = 250;    // ms between frames given to the BarcodeDetector
  var FRAME_WIDTH = 960;     // frames are scaled down to this width before sending

  var form = document.querySelector("form[data-scan-form]");
  if (!form) return;
  var box = form.querySelector("[data-scan]");
  var startButton = form.querySelector("[data-scan-start]");
  var stopButton = form.querySelector("[data-scan-stop]");
  var view = form.querySelector("[data-scan-view]");
  var video = form.querySelector("[data-scan-video]");
  var canvas = form.querySelector("[data-scan-canvas]");
  var status = form.querySelector("[data-scan-status]");
  var input = form.querySelector("input[name=code]");
  var stream = null;
  var timer = null;
  var busy = false;
  var done = false;

  function say(key) { status.textContent = status.dataset[key] || ""; }

  box.hidden = false;
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    startButton.disabled = true;
    say(window.isSecureContext ? "msgDenied" : "msgInsecure");
    return;
  }

  function stop() {
    window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    view.hidden = true;
    startButton.hidden = false;
  }

  function found(code) {
    if (done || !code) return;
    done = true;
    stop();
    input.value = code;
    say("msgFound");
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function next(step, delay) {
    if (stream && !done) timer = window.setTimeout(step, delay);
  }

  // the browser's own reader; null where there is none or it cannot read QR codes
  function browserDetector() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    }, function () { return null; });
  }

  function detectLoop(detector) {
    function step() {
      if (video.readyState < 2) return next(step, DETECT_EVERY);
      detector.detect(video).then(function (codes) {
        if (codes.length) found(codes[0].rawValue); else next(step, DETECT_EVERY);
      }, function () { next(step, DETECT_EVERY); });
    }
    step();
  }

  function frameBlob() {
    var width = video.videoWidth, height = video.videoHeight;
    var scale = Math.min(1, FRAME_WIDTH / width);
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
  }

  function serverLoop() {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    function step() {
      if (busy) return;
      if (video.readyState < 2 || !video.videoWidth) return next(step, FRAME_EVERY);
      busy = true;
      frameBlob().then(function (blob) {
        var data = new FormData();
        data.append("frame", blob, "frame.jpg");
        return fetch(form.dataset.scanUrl, {
          method: "POST", body: data, credentials: "same-origin",
          headers: { "X-CSRFToken": token, Accept: "application/json" }
        });
      }).then(function (response) {
        if (response.status === 429) return { found: false, wait: true };
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (answer) {
        busy = false;
        if (answer.found) found(answer.code); else next(step, answer.wait ? 5 * FRAME_EVERY : FRAME_EVERY);
      }).catch(function () {
        busy = false;
        stop();
        say("msgError");
      });
    }
    step();
  }

  function start() {
    done = false;
    say("msgOpening");
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        view.hidden = false;
        startButton.hidden = true;
        // a live camera plays without autoplay; a refusal still leaves frames to read
        return video.play().catch(function () {});
      })
      .then(browserDetector)
      .then(function (detector) {
        say("msgAim");
        form.dataset.scanReader = detector ? "browser" : "server";
        if (detector) detectLoop(detector); else serverLoop();
      })
      .catch(function () { stop(); say("msgDenied"); });
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", function () { stop(); status.textContent = ""; });
  window.addEventListener("pagehide", stop);
})();
