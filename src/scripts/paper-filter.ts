/** Progressive enhancement: filters the paper list as the visitor types; without JS the full list shows. */
const filter = document.querySelector<HTMLElement>('[data-paper-filter]');
const items = [...document.querySelectorAll<HTMLElement>('[data-papers] > li')];
if (filter && items.length > 1) {
  const input = filter.querySelector('input')!;
  const status = filter.querySelector<HTMLElement>('[data-filter-status]')!;
  const text = items.map((item) =>
    [...item.querySelectorAll('.paper-title, .authors')]
      .map((el) => el.textContent ?? '')
      .join(' ')
      .toLowerCase(),
  );
  filter.hidden = false;
  input.addEventListener('input', () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    items.forEach((item, i) => {
      const match = words.every((w) => text[i]!.includes(w));
      item.hidden = !match;
      if (match) shown++;
    });
    status.textContent = words.length ? `Showing ${shown} of ${items.length} papers` : '';
  });
}
