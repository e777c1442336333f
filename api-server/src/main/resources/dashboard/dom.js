// Table cells for values from the API. Ids, names, codes and messages are tenant text: they only
// ever reach the page as text (textContent), never as markup.

/** Appends a `<td data-col=col>` holding `text` as text to `tr`, and returns it. */
export function cell(tr, col, text, cls) {
  const td = document.createElement('td');
  td.dataset.col = col;
  if (cls) td.className = cls;
  td.textContent = text;
  tr.append(td);
  return td;
}
