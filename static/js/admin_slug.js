// Vietnamese names make readable slugs in the admin: "Tuần hàng Việt Nam" becomes
// "tuan-hang-viet-nam", not Django's "tun-hang-vit-nam". Django's prepopulated fields call the
// global URLify() on every keystroke; this strips the tone and vowel marks and maps đ to d first.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const urlify = window.URLify;
  if (typeof urlify !== "function") {
    return;
  }
  window.URLify = function (text, maxLength, allowUnicode) {
    const plain = String(text)
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "");
    return urlify(plain, maxLength, allowUnicode);
  };
});
