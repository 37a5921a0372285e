// Check-in at the door: where the browser can read QR codes (BarcodeDetector), a button opens
// the camera; a code read fills the search with the registration's code and submits it.
// Without it, the page works as it is: type a name, an e-mail address or the code.
(function () {
  "use strict";
  var box = document.getElementById("check-in-scan");
  var form = document.getElementById("check-in-search");
  if (!box || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button--secondary";
  button.textContent = box.dataset.labelStart;
  var video = document.createElement("video");
  video.setAttribute("playsinline", "");
  video.muted = true;
  video.hidden = true;
  box.append(button, video);
  box.hidden = false;
  var stream = null;

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    video.hidden = true;
    button.textContent = box.dataset.labelStart;
  }

  function scan(detector) {
    if (!stream) {
      return;
    }
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        input.value = codes[0].rawValue;
        stop();
        form.submit();
      } else {
        window.requestAnimationFrame(function () { scan(detector); });
      }
    }).catch(function () { window.requestAnimationFrame(function () { scan(detector); }); });
  }

  button.addEventListener("click", function () {
    if (stream) {
      stop();
      return;
    }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      button.textContent = box.dataset.labelStop;
      return video.play();
    }).then(function () { scan(detector); }).catch(stop);
  });
})();
