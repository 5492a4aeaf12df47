// Shows an image or PDF chosen for upload before it is sent (no server round trip).
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[type=file][data-preview]")) return;
  var box = document.getElementById(input.dataset.preview);
  if (!box) return;
  box.replaceChildren();
  var file = input.files && input.files[0];
  if (!file) return;
  var url = URL.createObjectURL(file);
  if (file.type.indexOf("image/") === 0) {
    var img = document.createElement("img");
    img.src = url; img.alt = file.name;
    box.appendChild(img);
  } else if (file.type === "application/pdf") {
    var frame = document.createElement("iframe");
    frame.src = url; frame.title = file.name;
    box.appendChild(frame);
  }
  var note = document.createElement("p");
  note.textContent = file.name + " · " + Math.ceil(file.size / 1024) + " KB";
  box.appendChild(note);
});

// A select marked data-submit-on-change (the language switch) sends its form as soon as
// a choice is made. Here rather than in an onchange attribute: the Content-Security-Policy
// runs no inline handler.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("select[data-submit-on-change]") && select.form) {
    select.form.submit();
  }
});
