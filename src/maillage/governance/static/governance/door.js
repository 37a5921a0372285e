/* The door: scan a member's QR code with the tablet's camera when the browser has the
   BarcodeDetector API (progressive enhancement: without it, a USB/Bluetooth scanner or the
   keyboard types the code into the field, and the form works without JavaScript). */
(function () {
  "use strict";
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  var form = document.getElementById("door-token-form");
  var box = document.getElementById("door-camera");
  var start = document.getElementById("door-camera-start");
  var video = document.getElementById("door-video");
  if (!form || !box || !start || !video) {
    return;
  }
  box.hidden = false;
  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      start.disabled = true;
      video.play();
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            form.elements.token.value = codes[0].rawValue;
            form.submit();
          } else {
            window.requestAnimationFrame(look);
          }
        }).catch(function () { window.requestAnimationFrame(look); });
      };
      look();
    }).catch(function () {
      box.hidden = true;
    });
  });
})();
