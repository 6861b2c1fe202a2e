import type { User } from "../http/context";
import { CATEGORIES, type EventCard, eventCard, type ListedEvent } from "./event-card";
import { Field, NumberInput } from "./fields";
import { Layout } from "./layout";

/** The search form's fields, as typed by a person (max price in whole currency units). */
export interface SearchForm {
  q: string;
  category: string;
  city: string;
  from: string;
  to: string;
  maxPrice: string;
}

export interface HomeProps {
  user: User | undefined;
  signIn: string | undefined;
  form: SearchForm;
  events: ListedEvent[];
  total: number;
  limit: number;
  /** Filters that could not be understood and were left out. */
  ignored: string[];
}

export function Card({ card }: { card: EventCard }) {
  return (
    <li class="event-card" data-event-status={card.status}>
      <a href={card.href}>
        <span class="badge" data-status={card.status}>
          {card.badge}
        </span>
        <h3>{card.title}</h3>
        {card.artist && <p class="artist">{card.artist}</p>}
        <p class="when">{card.when}</p>
        <p class="where">{card.where}</p>
        <p class="meta">
          <span class="category">{card.category}</span>
          <span class="price">{card.price}</span>
        </p>
      </a>
    </li>
  );
}

/** The search form's text and date fields, in the order the form shows them. */
const PLAIN_FIELDS: { name: "city" | "from" | "to"; label: string; type: string; autocomplete?: string }[] = [
  { name: "city", label: "City", type: "text", autocomplete: "address-level2" },
  { name: "from", label: "From", type: "date" },
  { name: "to", label: "To", type: "date" },
];

export function HomePage({ user, signIn, form, events, total, limit, ignored }: HomeProps) {
  const categories = [...new Set([...CATEGORIES, ...events.map((e) => e.category), form.category])].filter(Boolean);
  return (
    <Layout title="Upcoming events" user={user} signIn={signIn} scripts={["home.js"]} data={{ limit }}>
      <section class="hero">
        <h1>Upcoming events</h1>
        <p>Find a night out. Seats are live: what you see is what is free right now.</p>
      </section>
      <search>
        <form class="search card" id="search" method="get" action="/">
          <Field name="q" label="Search" grow>
            <input id="q" name="q" type="search" value={form.q} placeholder="Artist, event, venue or city" />
          </Field>
          <Field name="category" label="Category">
            <select id="category" name="category">
              <option value="">Any category</option>
              {categories.map((c) => (
                <option value={c} selected={c === form.category}>
                  {c}
                </option>
              ))}
            </select>
          </Field>
          {PLAIN_FIELDS.map(({ name, label, type, autocomplete }) => (
            <Field name={name} label={label}>
              <input id={name} name={name} type={type} value={form[name]} autocomplete={autocomplete} />
            </Field>
          ))}
          <Field name="maxPrice" label="Max price">
            <NumberInput id="maxPrice" name="maxPrice" min="0" step="1" value={form.maxPrice} />
          </Field>
          <div class="actions">
            <button type="submit" class="primary">
              Search
            </button>
          </div>
        </form>
      </search>
      {ignored.length > 0 && (
        <p class="notice" role="status">
          Left out filters we could not read: {ignored.join(", ")}.
        </p>
      )}
      <section aria-labelledby="results-heading">
        <h2 id="results-heading" class="results-heading">
          <span id="results-count" aria-live="polite">
            {total === 1 ? "1 event" : `${total} events`}
          </span>
        </h2>
        <ul id="results" class="event-grid">
          {events.map((e) => (
            <Card card={eventCard(e)} />
          ))}
        </ul>
        <p id="no-results" class="empty" hidden={events.length > 0}>
          Nothing matches. Try fewer filters.
        </p>
        <div class="more">
          <button type="button" id="more" hidden={events.length >= total}>
            Show more
          </button>
        </div>
      </section>
    </Layout>
  );
}
