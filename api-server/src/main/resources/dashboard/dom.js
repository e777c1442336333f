// Table cells, headline figures and legends for values from the API. Ids, names, codes and messages
// are tenant text: they only ever reach the page as text (textContent), never as markup.

/** Appends a `<td data-col=col>` holding `text` as text to `tr`, and returns it. */
export function cell(tr, col, text, cls) {
  const td = document.createElement('td');
  td.dataset.col = col;
  if (cls) td.className = cls;
  td.textContent = text;
  tr.append(td);
  return td;
}

/** A headline figure: `value` over `label`, marked bad when `bad`. */
export function kpi(id, label, value, bad) {
  const div = document.createElement('div');
  div.className = bad ? 'kpi bad' : 'kpi';
  div.dataset.kpi = id;
  const v = document.createElement('div');
  v.className = 'kpi-value';
  v.textContent = value;
  const l = document.createElement('div');
  l.className = 'kpi-label';
  l.textContent = label;
  div.append(v, l);
  return div;
}

/** Fills the element `id` with one legend item per series ({label, cls}). */
export function legend(id, series) {
  document.getElementById(id).replaceChildren(
    ...series.map((s) => {
      const item = document.createElement('span');
      item.className = `legend-item ${s.cls}`;
      item.textContent = s.label;
      return item;
    }),
  );
}
