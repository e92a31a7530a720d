import type { MeReply } from '@ward/contracts';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api.ts';
import { Account, endSession } from './account.tsx';
import { AdminConsole } from './admin/console.tsx';
import { CallQueue } from './agent/call-queue.tsx';
import { ScreenPop } from './agent/screen-pop.tsx';
import { AuditExplorer } from './auditor/audit-explorer.tsx';
import { AuditEvent } from './auditor/audit-event.tsx';
import { Detections, DetectionView } from './auditor/detections.tsx';
import { RoleDrill, SupervisorAnalytics } from './supervisor/analytics.tsx';
import { useMe } from './data.ts';
import { Link, match, usePath } from './router.tsx';
import { SessionPanel } from './session-panel.tsx';
import { describeError, StatusContext, type Status } from './status.tsx';

/** Which screens a member's roles lead to (the server decides every request; this only lays out the links). */
const AGENT_ROLES = new Set(['Agent', 'Manager', 'Owner']);
const AUDITOR_ROLES = new Set(['Auditor', 'Owner']);
const SUPERVISOR_ROLES = new Set(['Manager', 'Owner']);
const ADMIN_ROLES = new Set(['Admin', 'Owner']);

function screenFor(path: string, me: MeReply): { title: string; body: ReactNode } {
  let m: Record<string, string> | null;
  if (path === '/agent') return { title: 'Call queue', body: <CallQueue me={me} /> };
  if ((m = match('/agent/calls/:id', path))) return { title: 'Screen pop', body: <ScreenPop me={me} callId={m.id!} key={m.id} /> };
  if (path === '/auditor') return { title: 'Audit explorer', body: <AuditExplorer /> };
  if ((m = match('/auditor/events/:seq', path))) return { title: 'Audit event', body: <AuditEvent seq={m.seq!} key={m.seq} /> };
  if (path === '/auditor/detections') return { title: 'Detections', body: <Detections /> };
  if ((m = match('/auditor/detections/:id', path))) return { title: 'Detection', body: <DetectionView id={m.id!} key={m.id} /> };
  if (path === '/supervisor') return { title: 'Supervisor analytics', body: <SupervisorAnalytics me={me} /> };
  if ((m = match('/supervisor/roles/:role', path))) return { title: 'Refusals by role', body: <RoleDrill role={m.role!} key={m.role} /> };
  if (path === '/admin') return { title: 'Admin console', body: <AdminConsole me={me} /> };
  if (path === '/') return { title: 'Your account', body: <Account me={me} /> };
  return { title: 'Not found', body: <p>There is no screen at this address. <Link href="/">Your account</Link></p> };
}

export function App() {
  const me = useMe();
  const path = usePath();
  const [line, setLine] = useState<{ text: string; code?: string }>({ text: '' });
  const say = useCallback((text: string, code?: string) => setLine({ text, code }), []);
  const status = useMemo<Status>(() => ({ say, fail: (e) => (({ text, code }) => say(text, code))(describeError(e)) }), [say]);
  // A new screen takes the focus to its main region (keyboard and screen-reader users start there), not on first load.
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (shown.current !== null && shown.current !== path) document.getElementById('main')?.focus();
    shown.current = path;
  }, [path]);

  // Signed out (or the session ended): to the sign-in page; nothing of the app is shown meanwhile.
  if (me.error instanceof ApiError && me.error.status === 401) location.replace('/sign-in');
  if (!me.data || me.error) {
    return (
      <main>
        <section id="me" hidden />
        <p id="status" role="status" aria-live="polite">{me.error ? describeError(me.error).text : ''}</p>
      </main>
    );
  }
  const who = me.data;
  const screen = screenFor(path, who);
  document.title = `${screen.title} · Ward`;
  return (
    <StatusContext.Provider value={status}>
      <a className="skip" href="#main">Skip to content</a>
      <header className="bar">
        <a className="brand" href="/">Ward</a>
        <nav aria-label="Screens">
          <Link href="/">Account</Link>
          {who.roles.some((r) => AGENT_ROLES.has(r)) && <Link href="/agent">Call queue</Link>}
          {who.roles.some((r) => AUDITOR_ROLES.has(r)) && <Link href="/auditor">Audit explorer</Link>}
          {who.roles.some((r) => AUDITOR_ROLES.has(r)) && <Link href="/auditor/detections">Detections</Link>}
          {who.roles.some((r) => SUPERVISOR_ROLES.has(r)) && <Link href="/supervisor">Supervisor analytics</Link>}
          {who.roles.some((r) => ADMIN_ROLES.has(r)) && <Link href="/admin">Admin console</Link>}
        </nav>
        <button type="button" className="quiet" onClick={() => endSession(who).catch(status.fail)}>Sign out</button>
      </header>
      <div className="layout">
        <main id="main" tabIndex={-1}>
          {who.device?.posture !== 'managed' && path.startsWith('/agent') && (
            <p className="notice" data-state="unmanaged">Unmanaged device: no PHI here. Sign in from a managed device to see patients.</p>
          )}
          {screen.body}
          <p id="status" role="status" aria-live="polite" data-code={line.code}>{line.text}</p>
        </main>
        <SessionPanel me={who} />
      </div>
    </StatusContext.Provider>
  );
}
