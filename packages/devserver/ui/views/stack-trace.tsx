/** Exceptions with their frames, innermost first; in-app frames open with their source context. */
import { useState } from 'preact/hooks';
import type { EventDetail } from '../api';

type Frame = Record<string, unknown>;

export function Exceptions({ exceptions }: { exceptions: EventDetail['exceptions'] }) {
  // Sentry orders values cause → thrown; the thrown one reads best first.
  return (
    <div class="exceptions">
      {[...exceptions].reverse().map((exception, index) => (
        <div class="exception" key={index} data-testid="exception">
          <h4>
            <strong>{exception.type ?? 'Error'}</strong>
            {exception.value && <span>: {exception.value}</span>}
          </h4>
          {exception.mechanism && (
            <p class="mechanism">
              mechanism <code>{String(exception.mechanism.type)}</code>{' '}
              {exception.mechanism.handled === false && <span class="badge danger">unhandled</span>}
            </p>
          )}
          <StackTrace frames={exception.frames} />
        </div>
      ))}
    </div>
  );
}

function StackTrace({ frames }: { frames: Frame[] }) {
  const [showAll, setShowAll] = useState(false);
  const hasInApp = frames.some((frame) => frame.in_app === true);
  const innermostFirst = [...frames].reverse();
  const visible =
    showAll || !hasInApp ? innermostFirst : innermostFirst.filter((frame) => frame.in_app === true);
  if (frames.length === 0) return <p class="muted">No stack trace.</p>;
  return (
    <div class="stacktrace">
      {hasInApp && innermostFirst.some((frame) => frame.in_app !== true) && (
        <button type="button" class="link" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Only in-app frames' : `Show all ${frames.length} frames`}
        </button>
      )}
      <ol class="frames">
        {visible.map((frame, index) => (
          <FrameRow key={index} frame={frame} initiallyOpen={frame.in_app === true && index < 3} />
        ))}
      </ol>
    </div>
  );
}

function FrameRow({ frame, initiallyOpen }: { frame: Frame; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const context = typeof frame.context_line === 'string';
  const file = String(frame.filename ?? frame.abs_path ?? frame.module ?? '<unknown>');
  const lineno = typeof frame.lineno === 'number' ? frame.lineno : undefined;
  return (
    <li class={`frame ${frame.in_app === true ? 'in-app' : 'system'}`} data-testid="frame">
      <button type="button" class="frame-head" onClick={() => setOpen(!open)} disabled={!context}>
        <span class="file">{file}</span>
        {frame.function ? (
          <>
            {' in '}
            <span class="function">{String(frame.function)}</span>
          </>
        ) : null}
        {lineno !== undefined && (
          <span class="line">
            {' '}
            at line {lineno}
            {typeof frame.colno === 'number' ? `:${frame.colno}` : ''}
          </span>
        )}
        {frame.in_app === true && <span class="badge">in app</span>}
      </button>
      {open && context && <SourceContext frame={frame} lineno={lineno} />}
    </li>
  );
}

function SourceContext({ frame, lineno }: { frame: Frame; lineno?: number }) {
  const pre = Array.isArray(frame.pre_context) ? (frame.pre_context as string[]) : [];
  const post = Array.isArray(frame.post_context) ? (frame.post_context as string[]) : [];
  const first = lineno === undefined ? undefined : lineno - pre.length;
  const lines = [...pre, String(frame.context_line), ...post];
  return (
    <pre class="context">
      {lines.map((line, index) => (
        <div key={index} class={index === pre.length ? 'current' : undefined}>
          <span class="ln">{first === undefined ? '' : first + index}</span>
          {line}
        </div>
      ))}
    </pre>
  );
}
