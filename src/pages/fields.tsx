import type { Child, JSX } from "hono/jsx";

/** A whole-number input: phones show the number pad (inputmode) and the browser checks min and max. */
export function NumberInput(props: Omit<JSX.IntrinsicElements["input"], "type" | "inputmode">) {
  return <input type="number" inputmode="numeric" {...props} />;
}

/** A labelled form field: its input (or select) has `name` as its id and name. */
export function Field({
  name,
  label,
  grow = false,
  children,
}: {
  name: string;
  label: string;
  grow?: boolean;
  children: Child;
}) {
  return (
    <div class={grow ? "field grow" : "field"}>
      <label for={name}>{label}</label>
      {children}
    </div>
  );
}
