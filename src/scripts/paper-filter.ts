/** Progressive enhancement: filters the paper list as the visitor types; without JS the full list shows. */
const filter = document.querySelector<HTMLElement>('[data-paper-filter]');
const items = [...document.querySelectorAll<HTMLElement>('[data-papers] > li')];
if (filter && items.length > 1) {
  const input = filter.querySelector('input')!;
  const status = filter.querySelector<HTMLElement>('[data-filter-status]')!;
  filter.hidden = false;
  input.addEventListener('input', () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of items) {
      const text = item.dataset['search'] ?? '';
      const match = words.every((w) => text.includes(w));
      item.hidden = !match;
      if (match) shown++;
    }
    status.textContent = words.length ? `Showing ${shown} of ${items.length} papers` : '';
  });
}
