// Progressive enhancement only: every page works without this file.
// Changing the sort order submits its form, so the separate "Sort" button can hide.
document.documentElement.classList.add("js");
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.submit();
  }
});
