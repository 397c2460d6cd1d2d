// editor.js is the scenario editor: a textarea with a line-number gutter,
// validated through the API as the user types, problems listed with their
// line and column and marked in the gutter. Clicking a problem moves the
// caret there.
import { api } from './api.js';
import { el } from './view.js';

export class Editor {
  // root holds the editor; onValid(valid) is told after each validation.
  constructor(root, { onValid = () => {} } = {}) {
    this.onValid = onValid;
    this.gutter = el('pre', { class: 'gutter', 'aria-hidden': 'true' });
    this.text = el('textarea', { id: 'yaml', spellcheck: 'false', wrap: 'off', 'aria-label': 'scenario file (YAML)', autocomplete: 'off' });
    this.problems = el('ol', { id: 'problems', class: 'problems', 'aria-live': 'polite' });
    this.status = el('span', { id: 'validity', class: 'validity' });
    root.append(el('div', { class: 'code' }, this.gutter, this.text), el('div', { class: 'check' }, this.status), this.problems);
    this.errorLines = new Set();
    this.seq = 0;
    this.timer = 0;
    this.text.addEventListener('input', () => { this.renderGutter(); this.schedule(); });
    this.text.addEventListener('scroll', () => { this.gutter.scrollTop = this.text.scrollTop; });
    this.text.addEventListener('keydown', (ev) => {
      if (ev.key === 'Tab' && !ev.shiftKey && !ev.ctrlKey && !ev.metaKey) {
        ev.preventDefault();
        this.text.setRangeText('  ', this.text.selectionStart, this.text.selectionEnd, 'end');
        this.renderGutter();
        this.schedule();
      }
    });
  }

  get value() { return this.text.value; }

  // set replaces the text. A file known to be valid (a saved one) is not
  // sent for checking; any other is checked at once.
  set(yaml, { valid = false } = {}) {
    clearTimeout(this.timer);
    this.seq++;
    this.text.value = yaml;
    this.text.scrollTop = 0;
    if (valid) {
      this.show([]);
      this.onValid(true);
    } else {
      this.renderGutter();
      this.schedule(0);
    }
  }

  schedule(delay = 250) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.validate(), delay);
  }

  async validate() {
    const seq = ++this.seq;
    this.status.textContent = 'checking…';
    this.status.className = 'validity';
    let res;
    try {
      res = await api.validate('scenario', this.text.value);
    } catch (err) {
      if (seq !== this.seq) return;
      this.status.textContent = 'could not check: ' + err.message;
      return;
    }
    if (seq !== this.seq) return; // a newer edit is being checked
    this.show(res.problems || []);
    this.onValid(res.valid);
  }

  // show lists problems and marks their lines.
  show(problems) {
    this.errorLines = new Set(problems.map((p) => p.line));
    this.problems.replaceChildren(...problems.map((p) => el('li', {
      'data-line': p.line, 'data-column': p.column, class: 'problem',
      onclick: () => this.goTo(p.line, p.column),
    }, el('span', { class: 'pos' }, `line ${p.line}, column ${p.column}`), ': ', p.field ? el('code', {}, p.field) : '', p.field ? ': ' : '', p.message)));
    this.status.textContent = problems.length ? `${problems.length} problem${problems.length > 1 ? 's' : ''}` : 'valid';
    this.status.className = 'validity ' + (problems.length ? 'bad' : 'ok');
    this.renderGutter();
  }

  // renderGutter writes the line numbers: plain text for runs of good lines
  // (fast for files of thousands of lines), a span for each line with a
  // problem.
  renderGutter() {
    const n = this.text.value.split('\n').length;
    const frag = document.createDocumentFragment();
    let run = '';
    for (let i = 1; i <= n; i++) {
      if (this.errorLines.has(i)) {
        if (run) frag.append(run);
        run = '';
        frag.append(el('span', { class: 'ln err', 'data-line': i }, String(i)), '\n');
      } else {
        run += i + '\n';
      }
    }
    if (run) frag.append(run);
    this.gutter.replaceChildren(frag);
    this.gutter.scrollTop = this.text.scrollTop;
  }

  // goTo puts the caret at a 1-based line and column and scrolls to it.
  goTo(line, column) {
    const lines = this.text.value.split('\n');
    let off = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) off += lines[i].length + 1;
    off += Math.max(0, (column || 1) - 1);
    this.text.focus();
    this.text.setSelectionRange(off, off);
    const lh = parseFloat(getComputedStyle(this.text).lineHeight) || 16;
    this.text.scrollTop = Math.max(0, (line - 5) * lh);
  }
}
