/**
 * Search box: hotspots by animal name or address (from the loaded hotspot features). Arrow keys move
 * through the results, Enter picks, Escape closes (WAI-ARIA combobox pattern, simplified).
 */
import type { HotspotFeature } from '../api/types.ts';
import { h } from './dom.ts';
import { shortAddress } from '../format.ts';

/** Returns a function that re-runs the current query (when more hotspots have been loaded). */
export function setupSearch(form: HTMLFormElement, find: (q: string) => HotspotFeature[], pick: (address: string) => void): () => void {
  const input = form.querySelector<HTMLInputElement>('input')!;
  const list = form.querySelector<HTMLUListElement>('ul')!;
  let results: HotspotFeature[] = [];
  let active = -1;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    active = -1;
  };
  const choose = (i: number) => {
    const f = results[i];
    if (!f) return;
    input.value = f.properties.name;
    close();
    pick(f.properties.address);
  };
  const render = () => {
    list.replaceChildren(
      ...results.map((f, i) =>
        h(
          'li',
          { role: 'option', id: `search-opt-${i}`, 'aria-selected': String(i === active), class: i === active ? 'active' : undefined, onmousedown: (e: Event) => (e.preventDefault(), choose(i)) },
          h('span', { class: 'name' }, f.properties.name),
          h('span', { class: 'muted mono' }, shortAddress(f.properties.address)),
        ),
      ),
    );
    if (results.length === 0 && input.value.trim().length >= 2) list.replaceChildren(h('li', { class: 'muted' }, 'No hotspot matches.'));
    list.hidden = input.value.trim().length < 2;
    input.setAttribute('aria-expanded', String(!list.hidden));
    if (active >= 0) input.setAttribute('aria-activedescendant', `search-opt-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  input.setAttribute('role', 'combobox');
  const update = () => {
    results = find(input.value);
    active = results.length ? 0 : -1;
    render();
  };
  input.addEventListener('input', update);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!results.length) return;
      active = (active + (e.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length;
      render();
    } else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (active < 0) results = find(input.value);
    choose(Math.max(0, active));
  });
  return () => {
    if (document.activeElement === input && input.value.trim().length >= 2) update();
  };
}
