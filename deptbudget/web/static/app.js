// Light enhancements only; every page works without JavaScript.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
  // A form over the server's field cap is not sent (what was typed stays on the page).
  const cap = Number(form.getAttribute("data-max-fields") || 0);
  if (cap && form.querySelectorAll("[name]").length > cap) {
    event.preventDefault();
    window.alert(`表单的栏目过多（上限 ${cap} 个），没有提交。请删去多余的行后分几次保存，或改用 XLSX 录入模板上传。`);
  }
});

// 绩效指标库: picking an indicator name from the library fills the row's empty 一级, 二级 and 目标值.
document.addEventListener("change", (event) => {
  const input = event.target;
  const row = input.getAttribute && input.getAttribute("data-library-row");
  if (!row) return;
  const option = Array.from(document.querySelectorAll("#list-library option")).find((o) => o.value === input.value);
  if (!option) return;
  const fill = (key, value) => {
    const field = document.querySelector(`[name="${row}.${key}"]`);
    if (field && !field.value) field.value = value;
  };
  fill("level1", option.dataset.level1);
  fill("level2", option.dataset.level2);
  fill("target", option.dataset.example);
});

// The file picker is labelled in Chinese (the browser's own button says "Choose file"): show the name picked.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches || !input.matches(".file-picker input[type=file]")) return;
  const name = input.closest(".file-picker").querySelector(".file-name");
  if (name) name.textContent = input.files && input.files.length ? input.files[0].name : "未选择文件";
});
