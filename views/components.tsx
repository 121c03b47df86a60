// Shared building blocks of every page: headers, cards, form fields, buttons,
// badges and flash messages. Pure functions of their props; every user string
// goes through `safe` (xss-scan checks it).
import type { Children, PropsWithChildren } from "@kitajs/html";

export type Flash = { kind: "success" | "error" | "info"; message: string };

export type FieldErrors = Record<string, string | undefined>;

const FLASH_STYLES: Record<Flash["kind"], string> = {
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  error: "border-red-200 bg-red-50 text-red-900",
  info: "border-sky-200 bg-sky-50 text-sky-900",
};

/** The flash region: announced by screen readers, swapped by htmx as `#flash`. */
export function FlashList({ flash = [], oob = false }: { flash?: Flash[]; oob?: boolean }) {
  return (
    <div id="flash" class="space-y-2 empty:hidden" role="status" aria-live="polite" hx-swap-oob={oob ? "true" : undefined}>
      {flash.map((item) => (
        <div class={`flex items-start gap-3 rounded-lg border px-4 py-3 text-sm ${FLASH_STYLES[item.kind]}`} x-data="dismissable" x-show="open">
          <p class="flex-1" safe>
            {item.message}
          </p>
          <button type="button" class="rounded text-current/70 hover:text-current focus-visible:outline-2" x-on:click="close" aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function PageHeader({ title, description, children }: PropsWithChildren<{ title: string; description?: string }>) {
  return (
    <div class="mb-6 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 class="text-2xl font-semibold tracking-tight text-slate-900" safe>
          {title}
        </h1>
        {description ? (
          <p class="mt-1 text-sm text-slate-600" safe>
            {description}
          </p>
        ) : (
          ""
        )}
      </div>
      {children ? <div class="flex gap-2">{children as "safe"}</div> : ""}
    </div>
  );
}

export function Card({ title, description, id, children }: PropsWithChildren<{ title?: string; description?: string; id?: string }>) {
  return (
    <section id={id} class="rounded-xl border border-slate-200 bg-white shadow-sm">
      {title ? (
        <header class="border-b border-slate-100 px-5 py-4">
          <h2 class="text-base font-semibold text-slate-900" safe>
            {title}
          </h2>
          {description ? (
            <p class="mt-1 text-sm text-slate-600" safe>
              {description}
            </p>
          ) : (
            ""
          )}
        </header>
      ) : (
        ""
      )}
      <div class="px-5 py-4">{children}</div>
    </section>
  );
}

type FieldProps = {
  name: string;
  label: string;
  type?: string;
  value?: string;
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  minlength?: number;
  maxlength?: number;
  pattern?: string;
  attrs?: Record<string, string>;
  addon?: Children;
};

/** A labelled input with its hint and error, wired with aria-describedby. */
export function Field(props: FieldProps) {
  const id = `field-${props.name}`;
  const describedBy = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class="space-y-1">
      <label for={id} class="block text-sm font-medium text-slate-800" safe>
        {props.label}
      </label>
      <div class="flex rounded-lg shadow-sm">
        <input
          id={id}
          name={props.name}
          type={props.type ?? "text"}
          value={props.value}
          required={props.required}
          autocomplete={props.autocomplete}
          placeholder={props.placeholder}
          minlength={props.minlength}
          maxlength={props.maxlength}
          pattern={props.pattern}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={describedBy}
          class={`block w-full min-w-0 flex-1 border px-3 py-2 text-sm text-slate-900 placeholder:text-slate-400 focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/30 ${props.addon ? "rounded-l-lg" : "rounded-lg"} ${props.error ? "border-red-400" : "border-slate-300"}`}
          {...props.attrs}
        />
        {props.addon ? <span class="inline-flex items-center rounded-r-lg border border-l-0 border-slate-300 bg-slate-50 px-3 text-sm text-slate-600">{props.addon as "safe"}</span> : ""}
      </div>
      {props.hint ? (
        <p id={`${id}-hint`} class="text-xs text-slate-600" safe>
          {props.hint}
        </p>
      ) : (
        ""
      )}
      {props.error ? (
        <p id={`${id}-error`} class="text-xs font-medium text-red-700" safe>
          {props.error}
        </p>
      ) : (
        ""
      )}
    </div>
  );
}

export function SelectField(props: { name: string; label: string; options: { value: string; label: string }[]; value?: string; srOnlyLabel?: boolean; attrs?: Record<string, string>; id?: string }) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <div class="space-y-1">
      <label for={id} class={props.srOnlyLabel ? "sr-only" : "block text-sm font-medium text-slate-800"} safe>
        {props.label}
      </label>
      <select
        id={id}
        name={props.name}
        class="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/30"
        {...props.attrs}
      >
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.value} safe>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

// The look of each variant is in views/app.css (`.btn`, `.btn-<variant>`).
export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

export const buttonClass = (variant: ButtonVariant = "primary", extra = "") => (extra ? `btn btn-${variant} ${extra}` : `btn btn-${variant}`);

export function Button({ variant = "primary", type = "submit", class: extra = "", children, ...rest }: PropsWithChildren<{ variant?: ButtonVariant; type?: "submit" | "button"; class?: string } & Record<string, unknown>>) {
  return (
    <button type={type} class={buttonClass(variant, extra)} {...rest}>
      {children}
    </button>
  );
}

/** The hidden CSRF field every form carries (SPEC §4). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

// Colours in views/app.css (`.badge`, `.badge-<color>`).
export type BadgeColor = "indigo" | "slate" | "emerald" | "amber" | "red";

export function Badge({ color = "slate", children }: PropsWithChildren<{ color?: BadgeColor }>) {
  return <span class={`badge badge-${color}`}>{children}</span>;
}

export function EmptyState({ title, children }: PropsWithChildren<{ title: string }>) {
  return (
    <div class="rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center">
      <p class="text-sm font-medium text-slate-900" safe>
        {title}
      </p>
      {children ? <div class="mt-1 text-sm text-slate-600">{children as "safe"}</div> : ""}
    </div>
  );
}

/** Initials on a coloured tile: the tenant "logo" and user avatars. */
export function Monogram({ name, size = "md" }: { name: string; size?: "sm" | "md" }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => /[\p{L}\p{N}]/u.exec(word)?.[0]?.toUpperCase() ?? "")
    .join("");
  const box = size === "sm" ? "h-8 w-8 text-xs" : "h-9 w-9 text-sm";
  return (
    <span aria-hidden="true" class={`inline-flex shrink-0 items-center justify-center rounded-lg bg-indigo-600 font-semibold text-white ${box}`} safe>
      {initials || "?"}
    </span>
  );
}

export function formatDate(date: Date | string | null | undefined): string {
  if (!date) return "—";
  return new Date(date).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}
