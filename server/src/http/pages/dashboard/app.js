// The Kassa dashboard: a page of the server, using only the public API (a user token, and
// `Kassa-Merchant` on the payment API). Everything a user typed (merchant names, descriptions,
// metadata, request bodies) reaches the page through `h()`, as text nodes: nothing is ever parsed
// as HTML, and the server's CSP allows no inline script besides.
'use strict';

const ROLES = ['viewer', 'developer', 'admin', 'owner'];
const POLL_MS = 3000;

const session = {
  token: sessionStorage.getItem('kassa.token'),
  user: null,
  merchants: [],
  merchant: null,
  role: null,
};
let poller = null;

// ---- Building the page -------------------------------------------------------------------

/** An element: `h('a', {href: '#/'}, 'text', child)`. Strings become text nodes, always. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function show(...children) {
  const view = document.getElementById('view');
  view.replaceChildren();
  append(view, children);
}

const svgNs = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attrs || {})) el.setAttribute(name, String(value));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

// ---- Formatting --------------------------------------------------------------------------

/** Minor units to a price: 1000 usd is "$10.00", 1000 jpy is "¥1,000". */
function money(amount, currency) {
  const code = String(currency || 'usd').toUpperCase();
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    const digits = format.resolvedOptions().maximumFractionDigits;
    return format.format(amount / 10 ** digits);
  } catch (_) {
    return `${amount} ${code}`;
  }
}

function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
}

function statusBadge(status) {
  return h('span', { class: `status ${status}` }, String(status).replaceAll('_', ' '));
}

// `visa •••• 4242`, or `SEPA debit DE •••• 3000` / `BECS debit 000-000 •••• 3456`.
function methodText(method) {
  const names = { sepa_debit: 'SEPA debit', au_becs_debit: 'BECS debit' };
  const what = method.type === 'card' ? method.brand : `${names[method.type] || method.type} ${method.bank || ''}`;
  return `${what} •••• ${method.last4}`;
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (_) {
    return text || '';
  }
}

// ---- The API -----------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, error) {
    super((error && error.message) || `HTTP ${status}`);
    this.status = status;
    this.code = error && error.code;
  }
}

/**
 * Calls the public API. `merchant: false` leaves out `Kassa-Merchant`. A POST carries `key` as
 * its Idempotency-Key: forms and buttons make one when they are drawn and send it with every
 * try, so pressing Refund again after a lost answer replays the refund instead of repeating it.
 */
async function api(method, path, body, { merchant = true, key } = {}) {
  const headers = { accept: 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (merchant && session.merchant) headers['kassa-merchant'] = session.merchant.id;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['idempotency-key'] = key || newKey();
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (response.status === 401 && session.token && !path.startsWith('/v1/auth/')) {
    signOut('Your session ended; sign in again.');
    throw new ApiError(401, data && data.error);
  }
  if (!response.ok) throw new ApiError(response.status, data && data.error);
  return data;
}

/** A random idempotency key (crypto.randomUUID needs a secure context; this does not). */
function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dashboard-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The key for the next try after `error`: the same when the outcome is unknown (no answer, a
 * 5xx, a request still running), so the retry cannot repeat the change; a new one after a
 * definite refusal, which the user may correct and send again.
 */
function nextKey(key, error) {
  const unknown = !(error instanceof ApiError) || error.status >= 500 || error.status === 409;
  return unknown ? key : newKey();
}

const m = (tail) => `/v1/merchants/${session.merchant.id}${tail}`;
const may = (role) => ROLES.indexOf(session.role) >= ROLES.indexOf(role);

/**
 * A form's submit handler that shows the API's error next to it instead of failing silently.
 * `run(form, key)` gets the form's idempotency key, the same for every submit of this form.
 */
function submit(run) {
  let key = newKey();
  return async (event) => {
    event.preventDefault();
    const form = event.target;
    const error = form.querySelector('.error');
    const button = form.querySelector('button[type=submit]');
    if (error) error.textContent = '';
    if (button) button.disabled = true;
    try {
      await run(form, key);
    } catch (e) {
      key = nextKey(key, e);
      if (error) error.textContent = e.message;
      else alert(e.message);
    } finally {
      if (button) button.disabled = false;
    }
  };
}

/**
 * A button that runs `action(key)` (once `ask`, if given, is confirmed), then re-renders the
 * route; `key` is the button's idempotency key, the same for every click.
 */
function actionButton(label, action, cls, ask) {
  let key = newKey();
  return h('button', {
    class: cls,
    type: 'button',
    onclick: async (event) => {
      if (ask && !window.confirm(ask)) return;
      event.target.disabled = true;
      try {
        await action(key);
        route();
      } catch (e) {
        key = nextKey(key, e);
        alert(e.message);
        event.target.disabled = false;
      }
    },
  }, label);
}

// ---- Session -----------------------------------------------------------------------------

function signOut(message) {
  session.token = null;
  session.user = null;
  session.merchant = null;
  sessionStorage.removeItem('kassa.token');
  location.hash = '#/login';
  if (message) sessionStorage.setItem('kassa.notice', message);
  route();
}

async function loadSession() {
  session.user = await api('GET', '/v1/auth/me', undefined, { merchant: false });
  session.merchants = (await api('GET', '/v1/merchants', undefined, { merchant: false })).data;
}

async function chooseMerchant(id) {
  session.merchant = session.merchants.find((x) => x.id === id) || null;
  session.role = null;
  paging.status = '';
  paging.cursors = [];
  if (!session.merchant) return;
  localStorage.setItem('kassa.merchant', id);
  const members = await api('GET', m('/members?limit=100'), undefined, { merchant: false });
  const me = members.data.find((x) => x.user_id === session.user.id);
  session.role = me ? me.role : 'viewer';
}

function renderChrome(active) {
  const nav = document.getElementById('nav');
  const account = document.getElementById('account');
  nav.replaceChildren();
  account.replaceChildren();
  if (!session.user) return;
  if (session.merchant) {
    const base = `#/m/${session.merchant.id}`;
    const links = [['home', 'Home'], ['payments', 'Payments'], ['keys', 'API keys'], ['webhooks', 'Webhooks'],
      ['team', 'Team'], ['logs', 'Logs']];
    for (const [page, label] of links) {
      nav.append(h('a', { href: `${base}/${page}`, class: page === active ? 'active' : null }, label));
    }
  }
  const picker = h('select', {
    id: 'merchant-switch',
    'aria-label': 'Merchant',
    onchange: (e) => {
      location.hash = e.target.value === 'new' ? '#/merchants/new' : `#/m/${e.target.value}/home`;
    },
  },
  session.merchants.map((x) => h('option', { value: x.id, selected: session.merchant && x.id === session.merchant.id }, x.name)),
  h('option', { value: 'new', selected: !session.merchant }, '+ New merchant'));
  account.append(picker, h('span', { class: 'muted hide-narrow' }, session.user.email),
    h('button', { class: 'secondary', type: 'button', onclick: () => signOut() }, 'Sign out'));
}

// ---- Routing -----------------------------------------------------------------------------

async function route() {
  if (poller) clearInterval(poller);
  poller = null;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  try {
    if (!session.token) {
      renderChrome();
      return parts[0] === 'register' ? registerPage() : loginPage();
    }
    if (!session.user) await loadSession();
    if (parts[0] === 'merchants' && parts[1] === 'new') {
      session.merchant = null;
      renderChrome();
      return newMerchantPage();
    }
    if (parts[0] !== 'm' || !parts[1]) {
      const remembered = localStorage.getItem('kassa.merchant');
      const first = session.merchants.find((x) => x.id === remembered) || session.merchants[0];
      location.hash = first ? `#/m/${first.id}/home` : '#/merchants/new';
      return;
    }
    if (!session.merchant || session.merchant.id !== parts[1]) await chooseMerchant(parts[1]);
    if (!session.merchant) {
      location.hash = '#/';
      return;
    }
    const page = parts[2] || 'home';
    renderChrome(page);
    const pages = { home: homePage, payments: parts[3] ? () => paymentPage(parts[3]) : paymentsPage,
      keys: keysPage, webhooks: webhooksPage, team: teamPage, logs: logsPage };
    await (pages[page] || homePage)();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    show(h('div', { class: 'card error' }, `Something went wrong: ${e.message}`));
  }
}

// ---- Sign in, register, merchants --------------------------------------------------------

function loginPage() {
  const notice = sessionStorage.getItem('kassa.notice');
  sessionStorage.removeItem('kassa.notice');
  show(h('div', { class: 'card narrow' },
    h('h1', {}, 'Sign in to Kassa'),
    notice && h('p', { class: 'muted' }, notice),
    h('form', { id: 'login', class: 'stack', onsubmit: submit(async (form) => {
      const answer = await api('POST', '/v1/auth/login', { email: form.email.value, password: form.password.value },
        { merchant: false });
      session.token = answer.access_token;
      sessionStorage.setItem('kassa.token', session.token);
      location.hash = '#/';
      route();
    }) },
    h('label', { for: 'email' }, 'Email'), h('input', { id: 'email', name: 'email', type: 'email', required: true }),
    h('label', { for: 'password' }, 'Password'),
    h('input', { id: 'password', name: 'password', type: 'password', required: true }),
    h('p', { class: 'error', role: 'alert' }),
    h('button', { type: 'submit' }, 'Sign in')),
    h('p', { class: 'muted' }, 'New here? ', h('a', { href: '#/register', id: 'to-register' }, 'Create an account'))));
}

function registerPage() {
  show(h('div', { class: 'card narrow' },
    h('h1', {}, 'Create your Kassa account'),
    h('form', { id: 'register', class: 'stack', onsubmit: submit(async (form) => {
      const email = form.email.value;
      const password = form.password.value;
      await api('POST', '/v1/auth/register', { email, password, name: form.name.value }, { merchant: false });
      const answer = await api('POST', '/v1/auth/login', { email, password }, { merchant: false });
      session.token = answer.access_token;
      sessionStorage.setItem('kassa.token', session.token);
      location.hash = '#/';
      route();
    }) },
    h('label', { for: 'name' }, 'Name'), h('input', { id: 'name', name: 'name', required: true }),
    h('label', { for: 'email' }, 'Email'), h('input', { id: 'email', name: 'email', type: 'email', required: true }),
    h('label', { for: 'password' }, 'Password (10 characters or more, a letter and a digit)'),
    h('input', { id: 'password', name: 'password', type: 'password', required: true }),
    h('p', { class: 'error', role: 'alert' }),
    h('button', { type: 'submit' }, 'Create account')),
    h('p', { class: 'muted' }, 'Have an account? ', h('a', { href: '#/login' }, 'Sign in'))));
}

function newMerchantPage() {
  show(h('div', { class: 'card narrow' },
    h('h1', {}, 'Create a merchant'),
    h('p', { class: 'muted' }, 'A merchant is the account payments belong to. You become its owner.'),
    h('form', { id: 'new-merchant', class: 'stack', onsubmit: submit(async (form) => {
      const created = await api('POST', '/v1/merchants', { name: form.name.value }, { merchant: false });
      session.merchants.push(created);
      sessionStorage.setItem('kassa.secret', created.webhook_secret || '');
      location.hash = `#/m/${created.id}/keys`;
    }) },
    h('label', { for: 'merchant-name' }, 'Business name'),
    h('input', { id: 'merchant-name', name: 'name', required: true }),
    h('p', { class: 'error', role: 'alert' }),
    h('button', { type: 'submit' }, 'Create merchant'))));
}

// ---- Home: today's payments and the charts -----------------------------------------------

/** A bar chart of `values` (one per day), negative bars in red; `format` labels the maximum. */
function barChart(id, days, values, format, cls) {
  const width = 600;
  const height = 160;
  const top = 26;
  const bottom = 28;
  const max = Math.max(1, ...values.map((v) => Math.abs(v)));
  const hasNegative = values.some((v) => v < 0);
  const zero = hasNegative ? top + (height - top - bottom) / 2 : height - bottom;
  const scale = (hasNegative ? (height - top - bottom) / 2 : height - top - bottom) / max;
  const step = width / values.length;
  const svg = s('svg', { class: 'chart', id, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  svg.append(s('line', { class: 'axis', x1: 0, x2: width, y1: zero, y2: zero }));
  values.forEach((value, i) => {
    const size = Math.abs(value) * scale;
    const bar = s('rect', {
      class: `bar ${cls || ''} ${value < 0 ? 'neg' : ''}`,
      x: i * step + 1, width: Math.max(1, step - 2),
      y: value < 0 ? zero : zero - size, height: Math.max(value === 0 ? 0 : 1, size),
      'data-date': days[i], 'data-value': value,
    });
    bar.append(s('title', {}, `${days[i]}: ${format(value)}`));
    svg.append(bar);
  });
  svg.append(s('text', { x: 2, y: 18 }, format(max)));
  svg.append(s('text', { x: 2, y: height - 6 }, days[0]));
  svg.append(s('text', { x: width - 2, y: height - 6, 'text-anchor': 'end' }, days[days.length - 1]));
  return svg;
}

const activity = (c) => (c.totals ? c.totals.succeeded + c.totals.failed : 0);

async function homePage() {
  const report = await api('GET', '/v1/reports/payments');
  const recent = await api('GET', '/v1/payment-intents?limit=5');
  const currencies = report.currencies.length ? report.currencies : [{ currency: 'usd', days: [], totals: {} }];
  const chosen = sessionStorage.getItem('kassa.currency');
  // The chosen currency, else the busiest.
  const busiest = [...currencies].sort((a, b) => activity(b) - activity(a))[0];
  const current = currencies.find((c) => c.currency === chosen) || busiest;
  const days = current.days.map((d) => d.date);
  const today = current.days[current.days.length - 1] || { gross_volume: 0, succeeded: 0, failed: 0, net_volume: 0 };
  const format = (v) => money(v, current.currency);
  const picker = currencies.length > 1 && h('select', {
    id: 'currency',
    onchange: (e) => { sessionStorage.setItem('kassa.currency', e.target.value); route(); },
  }, currencies.map((c) => h('option', { value: c.currency, selected: c === current }, c.currency.toUpperCase())));

  show(
    h('h1', {}, session.merchant.name),
    picker,
    h('div', { class: 'grid' },
      h('div', { class: 'card', id: 'today' },
        h('div', { class: 'muted' }, "Today's payments (UTC)"),
        h('div', { class: 'figure', id: 'today-volume' }, money(today.gross_volume || 0, current.currency)),
        h('div', { class: 'muted', id: 'today-counts' }, `${today.succeeded || 0} succeeded · ${today.failed || 0} failed`)),
      h('div', { class: 'card' },
        h('div', { class: 'muted' }, 'Net volume, last 30 days (refunds subtracted)'),
        h('div', { class: 'figure', id: 'net-volume' }, money((current.totals && current.totals.net_volume) || 0, current.currency)),
        days.length ? barChart('net-chart', days, current.days.map((d) => d.net_volume), format) : h('p', { class: 'muted' }, 'No payments yet.')),
      h('div', { class: 'card' },
        h('div', { class: 'muted' }, 'Failed payments, last 30 days'),
        h('div', { class: 'figure', id: 'failed-count' }, String((current.totals && current.totals.failed) || 0)),
        days.length ? barChart('failed-chart', days, current.days.map((d) => d.failed), String, 'fail') : h('p', { class: 'muted' }, 'None.'))),
    h('h2', {}, 'Recent payments'),
    paymentsTable(recent.data));
  const seen = recent.data.length ? recent.data[0].id : null;
  // New payments appear without a reload: the page redraws when the newest intent changes, or
  // when today's figures do.
  const signature = JSON.stringify(today);
  poller = setInterval(async () => {
    try {
      const [latest, fresh] = await Promise.all([
        api('GET', '/v1/payment-intents?limit=1'), api('GET', '/v1/reports/payments'),
      ]);
      const freshCurrent = fresh.currencies.find((c) => c.currency === current.currency);
      const freshToday = freshCurrent ? freshCurrent.days[freshCurrent.days.length - 1] : today;
      const newest = latest.data.length ? latest.data[0].id : null;
      if (newest !== seen || JSON.stringify(freshToday) !== signature || fresh.currencies.length !== report.currencies.length) {
        route();
      }
    } catch (_) { /* the next poll tries again */ }
  }, POLL_MS);
}

// ---- Payments ----------------------------------------------------------------------------

function paymentsTable(intents) {
  if (!intents.length) return h('p', { class: 'muted', id: 'no-payments' }, 'No payments.');
  return h('div', { class: 'table-wrap' }, h('table', { id: 'payments' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Amount'), h('th', {}, 'Status'), h('th', {}, 'Description'),
      h('th', { class: 'hide-narrow' }, 'Id'), h('th', { class: 'hide-narrow' }, 'Created'))),
    h('tbody', {}, intents.map((pi) => h('tr', {
      class: 'link',
      'data-id': pi.id,
      onclick: () => { location.hash = `#/m/${session.merchant.id}/payments/${pi.id}`; },
    },
    h('td', { class: 'amount' }, money(pi.amount, pi.currency)),
    h('td', {}, statusBadge(pi.status)),
    h('td', { class: 'description' }, pi.description || ''),
    h('td', { class: 'hide-narrow' }, h('code', {}, pi.id)),
    h('td', { class: 'hide-narrow' }, when(pi.created_at)))))));
}

const paging = { status: '', cursors: [] };

async function paymentsPage() {
  const params = new URLSearchParams({ limit: '20' });
  if (paging.status) params.set('status', paging.status);
  const after = paging.cursors[paging.cursors.length - 1];
  if (after) params.set('starting_after', after);
  const page = await api('GET', `/v1/payment-intents?${params}`);
  const statuses = ['', 'requires_payment_method', 'requires_action', 'processing', 'authorized', 'succeeded', 'canceled', 'expired', 'failed'];
  show(
    h('h1', {}, 'Payments'),
    h('form', { class: 'inline', id: 'search', onsubmit: submit(async (form) => {
      const id = form.id.value.trim();
      if (id) {
        await api('GET', `/v1/payment-intents/${encodeURIComponent(id)}`);
        location.hash = `#/m/${session.merchant.id}/payments/${id}`;
      }
    }) },
    h('div', {}, h('label', { for: 'search-id' }, 'Find by id'), h('input', { id: 'search-id', name: 'id', placeholder: 'pi_…' })),
    h('button', { type: 'submit' }, 'Find'),
    h('div', {}, h('label', { for: 'status-filter' }, 'Status'),
      h('select', { id: 'status-filter', onchange: (e) => { paging.status = e.target.value; paging.cursors = []; route(); } },
        statuses.map((st) => h('option', { value: st, selected: st === paging.status }, st ? st.replaceAll('_', ' ') : 'all')))),
    h('p', { class: 'error', role: 'alert' })),
    paymentsTable(page.data),
    h('div', { class: 'pager' },
      h('button', { class: 'secondary', type: 'button', id: 'previous', disabled: !paging.cursors.length,
        onclick: () => { paging.cursors.pop(); route(); } }, 'Previous'),
      h('button', { class: 'secondary', type: 'button', id: 'next', disabled: !page.has_more,
        onclick: () => { paging.cursors.push(page.data[page.data.length - 1].id); route(); } }, 'Next')));
  if (!paging.cursors.length) {
    const newest = page.data.length ? page.data[0].id : null;
    poller = setInterval(async () => {
      try {
        const latest = await api('GET', `/v1/payment-intents?limit=1${paging.status ? `&status=${paging.status}` : ''}`);
        if ((latest.data.length ? latest.data[0].id : null) !== newest) route();
      } catch (_) { /* next time */ }
    }, POLL_MS);
  }
}

async function paymentPage(id) {
  const pi = await api('GET', `/v1/payment-intents/${encodeURIComponent(id)}`);
  const [events, refunds, charges] = await Promise.all([
    api('GET', `/v1/events?payment_intent=${encodeURIComponent(id)}&limit=100`),
    api('GET', `/v1/payment-intents/${encodeURIComponent(id)}/refunds?limit=100`),
    api('GET', `/v1/charges?payment_intent=${encodeURIComponent(id)}&limit=100`),
  ]);
  const attempts = await Promise.all(events.data.map((e) => api('GET', `/v1/events/${e.id}/deliveries?limit=20`)));
  const money_ = (v) => money(v, pi.currency);
  const developer = may('developer');
  const actions = [];
  if (developer && pi.status === 'authorized') {
    actions.push(h('form', { class: 'inline', id: 'capture', onsubmit: submit(async (form, key) => {
      const amount = form.amount.value ? Number(form.amount.value) : undefined;
      await api('POST', `/v1/payment-intents/${pi.id}/capture`, amount ? { amount } : {}, { key });
      route();
    }) },
    h('div', {}, h('label', { for: 'capture-amount' }, `Amount (minor units, up to ${pi.amount_capturable})`),
      h('input', { id: 'capture-amount', name: 'amount', inputmode: 'numeric', placeholder: String(pi.amount_capturable) })),
    h('button', { type: 'submit' }, 'Capture'), h('p', { class: 'error', role: 'alert' })));
  }
  if (developer && (pi.status === 'authorized' || pi.status === 'requires_payment_method')) {
    actions.push(actionButton('Void', (key) => api('POST', `/v1/payment-intents/${pi.id}/void`, {}, { key }), 'danger',
      'Void this payment? A voided payment cannot be paid or captured.'));
  }
  if (developer && pi.status === 'succeeded' && pi.amount_refunded < pi.amount_received) {
    const left = pi.amount_received - pi.amount_refunded;
    actions.push(h('form', { class: 'inline', id: 'refund', onsubmit: submit(async (form, key) => {
      const amount = form.amount.value ? Number(form.amount.value) : undefined;
      await api('POST', `/v1/payment-intents/${pi.id}/refunds`, amount ? { amount } : {}, { key });
      route();
    }) },
    h('div', {}, h('label', { for: 'refund-amount' }, `Amount (minor units, up to ${left})`),
      h('input', { id: 'refund-amount', name: 'amount', inputmode: 'numeric', placeholder: String(left) })),
    h('button', { type: 'submit', id: 'refund-button' }, 'Refund'), h('p', { class: 'error', role: 'alert' })));
  }
  const metadata = Object.entries(pi.metadata || {});
  show(
    h('p', {}, h('a', { href: `#/m/${session.merchant.id}/payments` }, '← Payments')),
    h('h1', {}, h('span', { id: 'payment-amount' }, money(pi.amount, pi.currency)), ' ', statusBadge(pi.status)),
    h('div', { class: 'card' }, h('dl', { class: 'facts' },
      h('dt', {}, 'Id'), h('dd', {}, h('code', { id: 'payment-id' }, pi.id)),
      h('dt', {}, 'Description'), h('dd', { id: 'payment-description' }, pi.description || '—'),
      h('dt', {}, 'Received'), h('dd', {}, money_(pi.amount_received)),
      h('dt', {}, 'Refunded'), h('dd', { id: 'payment-refunded' }, money_(pi.amount_refunded)),
      h('dt', {}, 'Paid with'), h('dd', { id: 'payment-method' }, pi.payment_method ? methodText(pi.payment_method) : '—'),
      h('dt', {}, 'Attempts'), h('dd', {}, String(pi.attempts)),
      pi.last_payment_error && [h('dt', {}, 'Last error'), h('dd', {}, pi.last_payment_error.message || pi.last_payment_error.decline_code)],
      h('dt', {}, 'Created'), h('dd', {}, when(pi.created_at)),
      metadata.length ? [h('dt', {}, 'Metadata'), h('dd', { id: 'payment-metadata' }, metadata.map(([k, v]) => h('div', {}, h('code', {}, k), ': ', v)))] : null)),
    actions.length ? h('div', { class: 'card actions', id: 'payment-actions' }, actions) : null,
    charges.data.length ? [h('h2', {}, 'Attempts'), h('ul', { id: 'charges' }, charges.data.map((c) => h('li', { 'data-status': c.status },
      statusBadge(c.status), ` ${money_(c.amount)} with ${methodText(c.payment_method)}`,
      c.outcome ? ` · ${c.outcome.decline_code.replaceAll('_', ' ')} (${c.outcome.network_decline_code})` : '',
      c.amount_refunded ? ` · ${money_(c.amount_refunded)} refunded` : '',
      ` · ${when(c.created_at)}`)))] : null,
    refunds.data.length ? [h('h2', {}, 'Refunds'), h('ul', { id: 'refunds' }, refunds.data.map((r) => h('li', {}, `${money_(r.amount)} · ${when(r.created_at)}${r.reason ? ` · ${r.reason}` : ''}`)))] : null,
    h('h2', {}, 'Timeline'),
    h('ul', { class: 'timeline', id: 'timeline' }, events.data.map((event, i) => h('li', { 'data-type': event.type },
      h('div', {}, h('strong', {}, event.type), ' ', h('span', { class: 'muted' }, when(event.created_at))),
      attempts[i].data.map((a) => h('div', { class: 'attempt' },
        `Webhook attempt ${a.number} (${a.trigger}) to ${a.url}: `,
        a.status_code ? statusBadge(a.status_code >= 200 && a.status_code < 300 ? 'ok' : 'error') : statusBadge('error'),
        ` ${a.status_code || a.error || ''} in ${a.duration_ms} ms`,
        a.next_attempt_at ? ` · next attempt ${when(a.next_attempt_at)}` : '')),
      developer ? actionButton('Redeliver', (key) => api('POST', `/v1/events/${event.id}/redeliver`, {}, { key }), 'secondary redeliver') : null))));
}

// ---- API keys ----------------------------------------------------------------------------

async function keysPage() {
  const keys = await api('GET', m('/api-keys?limit=100'), undefined, { merchant: false });
  const secret = sessionStorage.getItem('kassa.newkey');
  sessionStorage.removeItem('kassa.newkey');
  const webhookSecret = sessionStorage.getItem('kassa.secret');
  sessionStorage.removeItem('kassa.secret');
  show(
    h('h1', {}, 'API keys'),
    webhookSecret && h('div', { class: 'notice' }, 'Your merchant is ready. Its webhook signing secret, shown this once: ',
      h('code', { id: 'webhook-secret' }, webhookSecret)),
    secret && h('div', { class: 'notice', id: 'new-key' }, 'Your new secret key, shown only this once. Copy it now: ',
      h('code', { id: 'new-key-secret' }, secret)),
    may('developer') && h('form', { class: 'inline', id: 'create-key', onsubmit: submit(async (form) => {
      const created = await api('POST', m('/api-keys'), { name: form.name.value }, { merchant: false });
      sessionStorage.setItem('kassa.newkey', created.key);
      route();
    }) },
    h('div', {}, h('label', { for: 'key-name' }, 'Name'), h('input', { id: 'key-name', name: 'name', required: true, placeholder: 'server' })),
    h('button', { type: 'submit' }, 'Create secret key'), h('p', { class: 'error', role: 'alert' })),
    keys.data.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'keys' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Key'), h('th', { class: 'hide-narrow' }, 'Last used'), h('th', {}, ''))),
      h('tbody', {}, keys.data.map((k) => h('tr', { 'data-id': k.id },
        h('td', {}, k.name), h('td', {}, h('code', {}, `${k.prefix}…`)), h('td', { class: 'hide-narrow' }, when(k.last_used_at)),
        h('td', {}, may('developer') ? actionButton('Revoke', () => api('DELETE', m(`/api-keys/${k.id}`), undefined, { merchant: false }), 'danger',
          `Revoke "${k.name}"? Requests with it are refused at once.`) : '')))))) :
      h('p', { class: 'muted' }, 'No keys yet. Create one to call the API.'));
}

// ---- Webhooks ----------------------------------------------------------------------------

async function webhooksPage() {
  const merchant = await api('GET', m(''), undefined, { merchant: false });
  const events = await api('GET', '/v1/events?limit=10');
  const latest = await Promise.all(events.data.map((e) => api('GET', `/v1/events/${e.id}/deliveries?limit=1`)));
  const secret = sessionStorage.getItem('kassa.secret');
  sessionStorage.removeItem('kassa.secret');
  const admin = may('admin');
  show(
    h('h1', {}, 'Webhooks'),
    h('div', { class: 'card' },
      admin ? h('form', { class: 'inline', id: 'webhook-url', onsubmit: submit(async (form) => {
        const url = form.url.value.trim();
        await api('PATCH', m(''), { webhook_url: url || null }, { merchant: false });
        route();
      }) },
      h('div', {}, h('label', { for: 'url' }, 'Endpoint URL'), h('input', { id: 'url', name: 'url', value: merchant.webhook_url || '', placeholder: 'https://shop.example/webhook', size: 40 })),
      h('button', { type: 'submit' }, 'Save'), h('p', { class: 'error', role: 'alert' })) :
        h('p', {}, 'Endpoint: ', h('code', {}, merchant.webhook_url || 'none')),
      secret && h('div', { class: 'notice' }, 'The new signing secret, shown only this once: ', h('code', { id: 'rolled-secret' }, secret)),
      admin && actionButton('Roll signing secret', async () => {
        const rolled = await api('POST', m('/webhook-secret/roll'), {}, { merchant: false });
        sessionStorage.setItem('kassa.secret', rolled.webhook_secret);
      }, 'secondary', 'Roll the signing secret? Deliveries are signed with the new one from now on.')),
    h('h2', {}, 'Recent deliveries'),
    events.data.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'deliveries' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Event'), h('th', {}, 'Last attempt'), h('th', { class: 'hide-narrow' }, 'When'))),
      h('tbody', {}, events.data.map((e, i) => {
        const a = latest[i].data[0];
        const outcome = !a ? statusBadge(e.pending_webhooks ? 'pending' : 'none') :
          statusBadge(a.status_code >= 200 && a.status_code < 300 ? 'delivered' : 'failed');
        return h('tr', {}, h('td', {}, e.type), h('td', {}, outcome, a ? ` ${a.status_code || a.error}` : ''),
          h('td', { class: 'hide-narrow' }, when(a ? a.created_at : e.created_at)));
      })))) : h('p', { class: 'muted' }, 'No events yet.'));
}

// ---- Team --------------------------------------------------------------------------------

async function teamPage() {
  const members = await api('GET', m('/members?limit=100'), undefined, { merchant: false });
  const admin = may('admin');
  show(
    h('h1', {}, 'Team'),
    admin && h('form', { class: 'inline', id: 'add-member', onsubmit: submit(async (form) => {
      await api('POST', m('/members'), { email: form.email.value, role: form.role.value }, { merchant: false });
      route();
    }) },
    h('div', {}, h('label', { for: 'member-email' }, 'Email of a registered user'), h('input', { id: 'member-email', name: 'email', type: 'email', required: true })),
    h('div', {}, h('label', { for: 'member-role' }, 'Role'), h('select', { id: 'member-role', name: 'role' }, ROLES.map((r) => h('option', { value: r }, r)))),
    h('button', { type: 'submit' }, 'Add member'), h('p', { class: 'error', role: 'alert' })),
    h('div', { class: 'table-wrap' }, h('table', { id: 'members' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Email'), h('th', {}, 'Role'), h('th', {}, ''))),
      h('tbody', {}, members.data.map((x) => h('tr', {},
        h('td', {}, x.name), h('td', {}, x.email), h('td', {}, x.role),
        h('td', {}, admin && x.user_id !== session.user.id ? actionButton('Remove', () => api('DELETE', m(`/members/${x.user_id}`), undefined, { merchant: false }), 'danger',
          `Remove ${x.email} from this merchant?`) : '')))))));
}

// ---- Request logs ------------------------------------------------------------------------

const logFilter = { status: '', method: '', path: '' };

async function logsPage() {
  const params = new URLSearchParams({ limit: '50' });
  for (const [name, value] of Object.entries(logFilter)) if (value) params.set(name, value);
  const logs = await api('GET', `/v1/request-logs?${params}`);
  show(
    h('h1', {}, 'Request logs'),
    h('p', { class: 'muted' }, "Requests made with this merchant's API keys, last 7 days. Secrets and card numbers are redacted."),
    h('form', { class: 'inline', id: 'log-filter', onsubmit: submit(async (form) => {
      logFilter.status = form.status.value.trim();
      logFilter.method = form.method.value;
      logFilter.path = form.path.value.trim();
      route();
    }) },
    h('div', {}, h('label', { for: 'log-status' }, 'Status'), h('input', { id: 'log-status', name: 'status', value: logFilter.status, size: 4, inputmode: 'numeric' })),
    h('div', {}, h('label', { for: 'log-method' }, 'Method'), h('select', { id: 'log-method', name: 'method' },
      ['', 'GET', 'POST', 'PATCH', 'DELETE'].map((x) => h('option', { value: x, selected: x === logFilter.method }, x || 'any')))),
    h('div', {}, h('label', { for: 'log-path' }, 'Path starts with'), h('input', { id: 'log-path', name: 'path', value: logFilter.path, placeholder: '/v1/payment-intents' })),
    h('button', { type: 'submit' }, 'Filter'), h('p', { class: 'error', role: 'alert' })),
    logs.data.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'logs' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Status'), h('th', {}, 'Request'), h('th', { class: 'hide-narrow' }, 'Time'))),
      h('tbody', {}, logs.data.map((log) => {
        const detail = h('tr', { class: 'detail', hidden: true }, h('td', { colspan: 3 },
          h('div', { class: 'muted' }, `${log.id} · ${log.duration_ms} ms${log.idempotency_key ? ` · Idempotency-Key ${log.idempotency_key}` : ''}`),
          h('div', {}, 'Request body'), h('pre', { class: 'request-body' }, pretty(log.request_body) || '(empty)'),
          h('div', {}, 'Response body'), h('pre', { class: 'response-body' }, pretty(log.response_body) || '(empty)')));
        const row = h('tr', { class: 'link', 'data-id': log.id, onclick: () => { detail.hidden = !detail.hidden; } },
          h('td', {}, h('span', { class: `status ${log.status < 400 ? 'ok' : 'error'}` }, String(log.status))), h('td', {}, h('code', {}, `${log.method} ${log.path}`)),
          h('td', { class: 'hide-narrow' }, when(log.created_at)));
        return [row, detail];
      })))) : h('p', { class: 'muted' }, 'No requests match.'));
}

window.addEventListener('hashchange', route);
document.addEventListener('DOMContentLoaded', route);
