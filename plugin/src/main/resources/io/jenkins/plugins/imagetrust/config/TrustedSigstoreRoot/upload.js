// Reads a chosen trusted_root.json into the root's textarea and fires its change event, so that the server validates it
// (showing the root's validity windows) and saves it exactly as if it had been pasted. Larger files than the engine
// reads (TrustedRoot.MAX_BYTES) are refused here, before they are read.
Behaviour.specify("input.image-trust-root-file", "image-trust-root-file", 0, function (input) {
  input.addEventListener("change", function () {
    var message = input.parentElement.querySelector(".image-trust-root-file-message");
    var item = input.closest(".repeated-chunk") || input.closest("form");
    var textarea = item ? item.querySelector("textarea[name='_.trustedRoot']") : null;
    var file = input.files && input.files[0];
    message.textContent = "";
    message.classList.remove("error");
    if (!file || !textarea) {
      return;
    }
    var fail = function (text) {
      message.textContent = text;
      message.classList.add("error");
      input.value = "";
    };
    if (file.size > parseInt(input.dataset.maxBytes, 10)) {
      fail(file.name + ": " + input.dataset.tooLarge);
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      textarea.value = reader.result;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      textarea.dispatchEvent(new Event("change", { bubbles: true }));
    };
    reader.onerror = function () {
      fail(input.dataset.unreadable + " " + reader.error);
    };
    reader.readAsText(file, "UTF-8");
  });
});
