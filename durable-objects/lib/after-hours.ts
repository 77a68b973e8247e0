/**
 * The after-hours form (seed 003, "Вне рабочего времени"): collect name, a contact
 * (email or phone) and the question, confirm, tell the opening hours, offer a callback.
 *
 * A small state machine stored in the ConversationRoom between customer messages. It
 * returns prompt *kinds*, not text: the DO renders them in the conversation's language
 * (and fills the hours with business-hours.ts), so the rules stay language-free.
 */

export type AfterHoursStep = "name" | "contact" | "question" | "confirm" | "callback" | "callback_phone" | "done";

export type ContactPoint = { kind: "email"; value: string } | { kind: "phone"; value: string };

export interface AfterHoursState {
  step: AfterHoursStep;
  name: string | null;
  contact: ContactPoint | null;
  question: string | null;
  callbackRequested: boolean;
  callbackPhone: string | null;
}

export type AfterHoursPrompt =
  | { kind: "ask_name" }
  | { kind: "ask_contact" }
  | { kind: "ask_question" }
  | { kind: "confirm"; name: string; contact: ContactPoint; question: string }
  /** Thank the customer, tell the opening hours, and ask whether they want a call back. */
  | { kind: "offer_callback" }
  | { kind: "ask_callback_phone" }
  | { kind: "done"; callbackRequested: boolean };

export type AfterHoursError =
  "empty" | "too_long" | "invalid_contact" | "invalid_phone" | "expected_yes_no" | "flow_finished";

export type AfterHoursResult =
  | { ok: true; state: AfterHoursState; prompt: AfterHoursPrompt }
  /** The state is unchanged; `prompt` re-asks the same question. */
  | { ok: false; error: AfterHoursError; state: AfterHoursState; prompt: AfterHoursPrompt };

export const MAX_NAME_LENGTH = 100;
export const MAX_QUESTION_LENGTH = 2000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_CHARS = /^\+?[0-9\s().-]+$/;
const YES = new Set(["yes", "y", "yeah", "ok", "да", "д", "ага", "כן", "sí", "si", "oui"]);
const NO = new Set(["no", "n", "nope", "нет", "н", "לא", "non"]);

/** A fresh form; its first prompt is `ask_name`. */
export function startAfterHours(): { state: AfterHoursState; prompt: AfterHoursPrompt } {
  return {
    state: { step: "name", name: null, contact: null, question: null, callbackRequested: false, callbackPhone: null },
    prompt: { kind: "ask_name" },
  };
}

/** E.164-ish: optional "+", 7–15 digits, common separators allowed and stripped. */
export function parsePhone(input: string): string | null {
  const text = input.trim();
  if (!PHONE_CHARS.test(text)) return null;
  const digits = text.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return null;
  return text.startsWith("+") ? `+${digits}` : digits;
}

/** An email (lower-cased) or a phone number, whichever the text is. */
export function parseContact(input: string): ContactPoint | null {
  const text = input.trim();
  if (EMAIL.test(text) && text.length <= 254) return { kind: "email", value: text.toLowerCase() };
  const phone = parsePhone(text);
  return phone === null ? null : { kind: "phone", value: phone };
}

function yesNo(input: string): boolean | null {
  const word = input
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, "");
  if (YES.has(word)) return true;
  if (NO.has(word)) return false;
  return null;
}

/** The prompt that asks for the current step (used to re-ask after an error). */
export function promptFor(state: AfterHoursState): AfterHoursPrompt {
  switch (state.step) {
    case "name":
      return { kind: "ask_name" };
    case "contact":
      return { kind: "ask_contact" };
    case "question":
      return { kind: "ask_question" };
    case "confirm":
      if (state.name !== null && state.contact !== null && state.question !== null) {
        return { kind: "confirm", name: state.name, contact: state.contact, question: state.question };
      }
      return { kind: "ask_name" };
    case "callback":
      return { kind: "offer_callback" };
    case "callback_phone":
      return { kind: "ask_callback_phone" };
    case "done":
      return { kind: "done", callbackRequested: state.callbackRequested };
  }
}

function go(state: AfterHoursState): AfterHoursResult {
  return { ok: true, state, prompt: promptFor(state) };
}

function reject(state: AfterHoursState, error: AfterHoursError): AfterHoursResult {
  return { ok: false, error, state, prompt: promptFor(state) };
}

function text(input: string, max: number): string | AfterHoursError {
  const value = input.trim();
  if (value === "") return "empty";
  if (value.length > max) return "too_long";
  return value;
}

/**
 * Feed one customer message into the form. Answering "no" at the confirmation starts
 * over from the name. A callback needs a phone: if the contact given was an email, the
 * form asks for one; otherwise it reuses the contact phone.
 */
export function advanceAfterHours(state: AfterHoursState, input: string): AfterHoursResult {
  switch (state.step) {
    case "name": {
      const name = text(input, MAX_NAME_LENGTH);
      if (name === "empty" || name === "too_long") return reject(state, name);
      return go({ ...state, name, step: "contact" });
    }
    case "contact": {
      if (input.trim() === "") return reject(state, "empty");
      const contact = parseContact(input);
      if (contact === null) return reject(state, "invalid_contact");
      return go({ ...state, contact, step: "question" });
    }
    case "question": {
      const question = text(input, MAX_QUESTION_LENGTH);
      if (question === "empty" || question === "too_long") return reject(state, question);
      return go({ ...state, question, step: "confirm" });
    }
    case "confirm": {
      const answer = yesNo(input);
      if (answer === null) return reject(state, "expected_yes_no");
      return answer ? go({ ...state, step: "callback" }) : go(startAfterHours().state);
    }
    case "callback": {
      const answer = yesNo(input);
      if (answer === null) return reject(state, "expected_yes_no");
      if (!answer) return go({ ...state, callbackRequested: false, step: "done" });
      if (state.contact?.kind === "phone") {
        return go({ ...state, callbackRequested: true, callbackPhone: state.contact.value, step: "done" });
      }
      return go({ ...state, step: "callback_phone" });
    }
    case "callback_phone": {
      if (input.trim() === "") return reject(state, "empty");
      const phone = parsePhone(input);
      if (phone === null) return reject(state, "invalid_phone");
      return go({ ...state, callbackRequested: true, callbackPhone: phone, step: "done" });
    }
    case "done":
      return reject(state, "flow_finished");
  }
}

export interface AfterHoursRequest {
  name: string;
  contact: ContactPoint;
  question: string;
  callbackPhone: string | null;
}

/** The collected request once the form is done (to store as a ticket), else null. */
export function afterHoursRequest(state: AfterHoursState): AfterHoursRequest | null {
  if (state.step !== "done" || state.name === null || state.contact === null || state.question === null) return null;
  return {
    name: state.name,
    contact: state.contact,
    question: state.question,
    callbackPhone: state.callbackRequested ? state.callbackPhone : null,
  };
}
