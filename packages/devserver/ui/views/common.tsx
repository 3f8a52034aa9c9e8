/** Small building blocks shared by the views. */
import type { ComponentChildren } from 'preact';
import { serviceColor } from '../format';

export function ServiceBadge({ service, color }: { service: string; color?: string }) {
  return (
    <span class="service" style={{ '--service': color ?? serviceColor(service) }} data-testid="service">
      {service}
    </span>
  );
}

export function LevelDot({ level }: { level: string | null }) {
  return <span class={`level level-${level ?? 'error'}`} title={level ?? 'error'} />;
}

export function Panel(props: {
  title: string;
  children: ComponentChildren;
  testId?: string;
  actions?: ComponentChildren;
}) {
  return (
    <section class="panel" data-testid={props.testId}>
      <header>
        <h3>{props.title}</h3>
        {props.actions}
      </header>
      <div class="panel-body">{props.children}</div>
    </section>
  );
}

export function KeyValues({ values }: { values: Record<string, unknown> }) {
  const entries = Object.entries(values).filter(
    ([, value]) => value !== undefined && value !== null && value !== '',
  );
  if (entries.length === 0) return <p class="muted">None</p>;
  return (
    <table class="kv">
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <th>{key}</th>
            <td>
              {typeof value === 'object' ? <code>{JSON.stringify(value, null, 1)}</code> : String(value)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Status({ loading, error, empty }: { loading: boolean; error?: string; empty?: string }) {
  if (error) return <p class="notice error">{error}</p>;
  if (loading) return <p class="notice muted">Loading…</p>;
  return empty ? <p class="notice muted">{empty}</p> : null;
}
