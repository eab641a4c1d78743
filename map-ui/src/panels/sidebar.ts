/**
 * The side panel: tabs (Network, Epochs, and Hotspot / Hex once something is selected), one body.
 * Keyboard: tabs are buttons (Tab / Enter), arrow keys move between tabs, Escape closes a selection,
 * focus moves to the panel heading when a selection opens it. On a phone it is a bottom sheet: collapsed
 * to its tab row by default (the map stays visible), opened by the handle, a tab, or a selection —
 * never by a background refresh.
 */
export type TabId = 'network' | 'epochs' | 'hotspot' | 'hex';

export class Sidebar {
  current: TabId = 'network';
  private readonly body: HTMLElement;
  private readonly tabs: HTMLButtonElement[];
  onTab: (tab: TabId) => void = () => {};
  onEscape: () => void = () => {};

  private readonly toggle: HTMLButtonElement;

  constructor(private readonly root: HTMLElement, private readonly phone = false) {
    this.body = root.querySelector('#panel-body')!;
    this.tabs = [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')];
    for (const t of this.tabs) t.addEventListener('click', () => this.onTab(t.dataset.tab as TabId));
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.onEscape();
      const i = this.tabs.indexOf(document.activeElement as HTMLButtonElement);
      if (i < 0 || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) return;
      const visible = this.tabs.filter((t) => !t.hidden);
      const j = visible.indexOf(this.tabs[i]);
      const next = visible[(j + (e.key === 'ArrowRight' ? 1 : visible.length - 1)) % visible.length];
      next.focus();
      next.click();
    });
    this.toggle = root.querySelector<HTMLButtonElement>('#panel-toggle')!;
    this.toggle.addEventListener('click', () => this.setCollapsed(!root.classList.contains('collapsed')));
    root.querySelector('#panel-handle')?.addEventListener('click', () => this.setCollapsed(!root.classList.contains('collapsed')));
    if (phone) this.setCollapsed(true);
  }

  get collapsed(): boolean {
    return this.root.classList.contains('collapsed');
  }

  setCollapsed(collapsed: boolean): void {
    this.root.classList.toggle('collapsed', collapsed);
    this.root.parentElement?.classList.toggle('sheet-collapsed', collapsed);
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    this.toggle.setAttribute('aria-label', collapsed ? 'Expand panel' : 'Collapse panel');
    this.toggle.textContent = collapsed ? '▴' : '▾';
  }

  showTab(tab: TabId, visible = true): void {
    this.root.querySelector<HTMLButtonElement>(`#tab-${tab}`)!.hidden = !visible;
  }

  /** Replace the body with `content` under tab `tab`; `focus` moves keyboard focus to its heading. */
  render(tab: TabId, content: (Node | null)[], focus = false): void {
    this.current = tab;
    this.showTab(tab);
    for (const t of this.tabs) t.setAttribute('aria-selected', String(t.dataset.tab === tab));
    this.body.setAttribute('aria-labelledby', `tab-${tab}`);
    this.body.replaceChildren(...content.filter((n): n is Node => n !== null));
    // On a phone only what the user asked for opens the sheet; on a desktop showing content opens it.
    if (!this.phone || focus) this.setCollapsed(false);
    if (focus) (this.body.querySelector<HTMLElement>('h2') ?? this.body).focus({ preventScroll: true });
  }

  message(tab: TabId, text: string): void {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = text;
    this.render(tab, [p]);
  }
}
