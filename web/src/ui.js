// Small pieces of page behaviour shared by the report and the check pages.
import { groupsOf } from "./code.js";

export function element(tag, attributes) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

export function fieldId(name) {
  return name.replace(/\./g, "-").replace(/_/g, "-");
}

/** Once a field named in the summary is corrected (typed into, ticked, a file chosen), its own
 *  error note goes: a note left beside a right answer reads as if the answer were still wrong. The
 *  summary stays until the next send, which checks everything again. */
function clearNoteWhenCorrected(form) {
  if (form.dataset.clearsNotes) return;
  form.dataset.clearsNotes = "yes";
  const clear = (event) => {
    // The field is the control's box (a radio group's fieldset, where the mark sits on the group).
    const box = event.target instanceof Element ? event.target.closest("[data-field]") : null;
    const name = box?.dataset.field || event.target?.name;
    if (!name) return;
    const marked = box ? [box, ...box.querySelectorAll('[aria-invalid="true"]')] : [event.target];
    for (const node of marked) node.removeAttribute("aria-invalid");
    const note = form.querySelector(`#error-${fieldId(name)}`);
    if (note) {
      note.hidden = true;
      note.textContent = "";
    }
  };
  form.addEventListener("input", clear);
  form.addEventListener("change", clear);
}

export function showProblems(form, summary, problems, t) {
  clearNoteWhenCorrected(form);
  for (const node of form.querySelectorAll(".field-error")) {
    node.hidden = true;
    node.textContent = "";
  }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  summary.hidden = !problems.length;
  summary.innerHTML = "";
  if (!problems.length) return;
  const heading = element("p", { class: "report-errors-title" });
  heading.textContent = problems.some((p) => p.field) ? t.summary(problems.length) : t.notSent;
  const list = element("ul", {});
  for (const problem of problems) {
    const item = element("li", {});
    const id = fieldId(problem.field);
    const target = problem.field ? form.querySelector(`#f-${id}`) || form.querySelector(`[name="${problem.field}"]`) : null;
    if (target) {
      const link = element("a", { href: `#${target.id}` });
      link.textContent = problem.message;
      link.addEventListener("click", (e) => {
        e.preventDefault();
        target.focus();
      });
      item.append(link);
      target.setAttribute("aria-invalid", "true");
      const note = form.querySelector(`#error-${id}`);
      if (note) {
        note.textContent = problem.message;
        note.hidden = false;
      }
    } else {
      item.textContent = problem.message;
    }
    list.append(item);
  }
  summary.append(heading, list);
  summary.focus();
}

export function setBusy(form, busy) {
  const button = form.querySelector('button[type="submit"]');
  // Focus leaves the button before it is disabled (a disabled button drops it to the page's body):
  // to the progress line, which says what is happening.
  const status = form.querySelector(".report-progress [role=status]");
  if (busy && status && form.contains(document.activeElement)) {
    status.parentElement.hidden = false;
    status.focus();
  }
  if (button) button.disabled = busy;
  form.setAttribute("aria-busy", busy ? "true" : "false");
}

/** A progress region (status line, bar, detail) appended to ``form``; returns its update function. */
export function progressPanel(form) {
  const panel = element("div", { class: "report-progress", hidden: "" });
  const status = element("p", { role: "status", "aria-live": "polite", tabindex: "-1" });
  const bar = element("progress", { max: "100", value: "0" });
  const detail = element("p", { class: "report-detail" });
  status.id = `${form.id}-status`;
  bar.setAttribute("aria-labelledby", status.id);
  panel.append(status, bar, detail);
  form.append(panel);
  return (text, fraction, more = "") => {
    panel.hidden = false;
    status.textContent = text;
    bar.value = Math.round(fraction * 100);
    detail.textContent = more;
  };
}

/** The error summary shown at the top of ``form`` (role=alert, focusable). */
export function errorSummary(form) {
  const summary = element("div", { class: "report-errors", role: "alert", tabindex: "-1", hidden: "" });
  form.prepend(summary);
  return summary;
}

/** What to tell the reporter about a receipt code that is refused (a CodeError): which group to look at. */
export function codeProblem(error, t) {
  if (error.kind === "swapped") return t.groupsSwapped(error.groups);
  if (error.kind === "check") return t.groupCheck(error.groups);
  if (error.kind === "character") return t.groupInvalid(error.group);
  return error.groups?.length ? t.groupLength(error.groups) : t.codeLength;
}

/** The receipt code written so that it never breaks inside a group, and copies as one string. */
export function codeElement(code, attributes) {
  const node = element("p", { ...attributes, translate: "no" });
  for (const group of groupsOf(code)) {
    const span = element("span", {});
    span.textContent = group;
    node.append(span);
  }
  return node;
}
