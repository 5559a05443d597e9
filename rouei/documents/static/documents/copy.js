// A copy button per field of a document page: copies the value as shown (for the PPC's form).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const value = document.getElementById(button.dataset.copy);
  if (!value || !navigator.clipboard) return;
  navigator.clipboard.writeText(value.textContent).then(() => {
    const label = button.textContent;
    button.textContent = "✓";
    setTimeout(() => { button.textContent = label; }, 1200);
  });
});
