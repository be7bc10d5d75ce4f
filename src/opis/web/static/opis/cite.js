// Progressive enhancement for the Cite panel: a "Copy" button beside each citation.
// The page works without it; the citations are plain text a reader can select.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const text of document.querySelectorAll(".cite__text")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cite__copy";
    button.textContent = "Copy";
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(text.textContent.trim());
        button.textContent = "Copied";
      } catch {
        button.textContent = "Select the text to copy";
      }
      setTimeout(() => { button.textContent = "Copy"; }, 2000);
    });
    text.after(button);
  }
});
