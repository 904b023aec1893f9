// "Gửi phản ánh trực tuyến": the form, encrypted in the page before anything leaves it.
//
// Without JavaScript the same form posts to /submissions/form and the function encrypts it.
// With JavaScript: check the fields, solve a proof-of-work, make the receipt code, encrypt
// each file as a stream and upload it to its slot, encrypt the report (with the files' keys,
// sizes and hashes, the reply key and the padding) and post it; then show the receipt code
// and ask the reporter to type it back once. Nothing readable is ever sent.
import { CodeError, newCode, normalise } from "./code.js";
import { Failure, send } from "./net.js";
import { codeElement, codeProblem, element, errorSummary, progressPanel, setBusy, showProblems } from "./ui.js";
import { MESSAGES } from "./messages.js";
import { importVerified } from "./verified.js";
import schema from "../../intake_function/schemas/report-1.schema.json";

const form = document.getElementById("report-form");
if (form) start(form);

let cryptoModule = null;
/** The encryption code, fetched once: on the first focus in the form, or when sending. */
function loadCrypto() {
  cryptoModule ??= importVerified(() => import("./crypto.js"));
  return cryptoModule;
}

function start(form) {
  const lang = form.dataset.lang === "en" ? "en" : "vi";
  const t = MESSAGES[lang];
  const api = form.dataset.api || "/api/v1";
  const config = JSON.parse(document.getElementById("portal-config")?.textContent || "{}");
  const recipients = config.recipients || [];
  let limits = { file: 50 * 1024 * 1024, report: 200 * 1024 * 1024 };
  let busy = false;
  let sealedFiles = null; // kept across attempts: files are never encrypted twice

  form.noValidate = true; // our messages, next to the fields, replace the browser's bubbles
  form.addEventListener("focusin", () => loadCrypto().catch(() => {}), { once: true });
  form.classList.add("js-enabled");
  const summary = errorSummary(form);
  const progress = progressPanel(form);
  const receipt = element("section", { id: "report-receipt", class: "report-receipt", hidden: "", tabindex: "-1" });
  form.after(receipt);

  send({ method: "GET", url: `${api}/health`, networkMessage: t.network })
    .then((health) => {
      limits = { file: health.max_file_bytes || limits.file, report: health.max_report_bytes || limits.report };
    })
    .catch(() => {});

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const problems = validate(form, t, limits, schema);
    showProblems(form, summary, problems, t);
    if (problems.length) return;
    if (!recipients.length) {
      showProblems(form, summary, [{ field: "", message: t.noKey }], t);
      return;
    }
    busy = true;
    setBusy(form, true);
    try {
      const result = await submit();
      showReceipt(receipt, result, t, form);
    } catch (error) {
      const message = error instanceof Failure ? error.message : t.unexpected;
      showProblems(form, summary, [{ field: "", message: `${message} ${t.keptTyped}` }], t);
    } finally {
      busy = false;
      setBusy(form, false);
    }
  });

  async function submit() {
    const files = Array.from(form.querySelector('input[type="file"]')?.files || []);
    const { derive, sendDocument } = await loadCrypto();
    const code = newCode();
    const derived = await derive(code);
    const document_ = reportFrom(form, lang);
    document_.reply = {
      recipient: derived.replyRecipient,
      lookup_id: derived.lookupId,
      followup_commitment: derived.followupCommitment,
    };
    sealedFiles = sealedFiles || [];
    const answer = await sendDocument({ api, recipients, document: document_, files, sealedFiles, progress, t });
    sealedFiles = null;
    return { code, id: answer.id, receivedAt: new Date() };
  }
}

function value(form, name) {
  const field = form.elements.namedItem(name);
  if (!field) return "";
  if (field instanceof RadioNodeList) return field.value || "";
  return (field.value || "").trim();
}

/** The report/1 document the form describes (without attachments and reply). */
function reportFrom(form, lang) {
  const document_ = { schema: "report/1" };
  for (const name of ["category", "description", "occurred", "place", "persons_involved"]) {
    const v = value(form, name);
    if (v) document_[name] = v;
  }
  const reporter = {};
  for (const name of ["name", "phone", "email", "address", "contact"]) {
    const v = value(form, `reporter.${name}`);
    if (v && !(name === "contact" && v === "none")) reporter[name] = v;
  }
  if (Object.keys(reporter).some((k) => k !== "contact")) document_.reporter = reporter;
  document_.language = lang;
  return document_;
}

/** Every problem with the form, each with its field, in the reporter's language. */
function validate(form, t, limits, schema_) {
  const problems = [];
  const properties = schema_.properties;
  const reporterProps = properties.reporter.properties;
  if (!value(form, "category")) problems.push({ field: "category", message: t.chooseCategory });
  if (!value(form, "description")) problems.push({ field: "description", message: t.required });
  const lengths = {
    description: properties.description.maxLength,
    occurred: properties.occurred.maxLength,
    place: properties.place.maxLength,
    persons_involved: properties.persons_involved.maxLength,
    "reporter.name": reporterProps.name.maxLength,
    "reporter.phone": reporterProps.phone.maxLength,
    "reporter.email": reporterProps.email.maxLength,
    "reporter.address": reporterProps.address.maxLength,
  };
  for (const [name, max] of Object.entries(lengths)) {
    if (value(form, name).normalize("NFC").length > max) problems.push({ field: name, message: t.tooLong(max) });
  }
  const phone = value(form, "reporter.phone");
  if (phone && !new RegExp(reporterProps.phone.pattern).test(phone)) problems.push({ field: "reporter.phone", message: t.phone });
  const email = value(form, "reporter.email");
  if (email && !new RegExp(reporterProps.email.pattern).test(email)) problems.push({ field: "reporter.email", message: t.email });
  const files = Array.from(form.querySelector('input[type="file"]')?.files || []);
  const maxFiles = properties.attachments.maxItems;
  if (files.length > maxFiles) problems.push({ field: "attachments", message: t.tooManyFiles(maxFiles) });
  const big = files.find((f) => f.size > limits.file);
  if (big) problems.push({ field: "attachments", message: t.fileTooBig(big.name, limits.file) });
  if (files.reduce((sum, f) => sum + f.size, 0) > limits.report) {
    problems.push({ field: "attachments", message: t.filesTooBig(limits.report) });
  }
  if (!form.elements.namedItem("consent")?.checked) problems.push({ field: "consent", message: t.consent });
  return problems;
}

function showReceipt(section, result, t, form) {
  const stamp = result.receivedAt.toLocaleString(t.locale, { dateStyle: "short", timeStyle: "short" });
  // The title and the code first: on a small screen or zoomed in, they are what the reporter sees.
  section.innerHTML = `
    <h2 id="receipt-title" tabindex="-1">${t.receiptTitle}</h2>
    <p class="receipt-label">${t.codeLabel}</p>
    <p id="receipt-code"></p>
    <p><strong>${t.codeWarning}</strong></p>
    <p class="receipt-actions">
      <button type="button" class="md-button" id="receipt-print">${t.print}</button>
      <a class="md-button" id="receipt-download" download="ma-tra-cuu.txt">${t.download}</a>
    </p>
    <p>${t.receiptLead(stamp)}</p>
    <h3>${t.nextTitle}</h3>
    <ul>${t.nextSteps.map((s) => `<li>${s}</li>`).join("")}</ul>
    <p class="receipt-next"><a href="../tra-cuu/" id="receipt-check-link">${t.checkPageLink}</a></p>
    <form id="receipt-confirm" class="receipt-confirm" novalidate>
      <h3>${t.confirmTitle}</h3>
      <p><label><input type="checkbox" id="receipt-saved" required> ${t.confirmSaved}</label></p>
      <p><label for="receipt-typed">${t.typeBack}</label><br>
      <input type="text" id="receipt-typed" autocomplete="off" autocapitalize="characters" spellcheck="false"
        aria-describedby="receipt-check" inputmode="latin"></p>
      <p id="receipt-check" role="status" aria-live="polite"></p>
      <p><button type="submit" class="md-button md-button--primary">${t.confirm}</button></p>
    </form>`;
  section.querySelector("#receipt-code").replaceWith(
    codeElement(result.code, { class: "receipt-code", id: "receipt-code" }),
  );
  section.querySelector("#receipt-print").addEventListener("click", () => window.print());
  const text = `${t.receiptTitle}\n${t.codeLabel} ${result.code}\n${stamp}\n\n${t.nextSteps.join("\n")}\n`;
  section.querySelector("#receipt-download").href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const leave = (e) => {
    e.preventDefault();
    e.returnValue = "";
  };
  window.addEventListener("beforeunload", leave);
  section.querySelector("#receipt-confirm").addEventListener("submit", (event) => {
    event.preventDefault();
    const check = section.querySelector("#receipt-check");
    const typed = section.querySelector("#receipt-typed").value;
    if (!section.querySelector("#receipt-saved").checked) {
      check.textContent = t.confirmSavedFirst;
      return;
    }
    let wrong = [];
    try {
      const canonical = normalise(typed);
      const expected = normalise(result.code); // the data characters, as the typed code gives them
      wrong = [0, 1, 2, 3].filter((g) => canonical.slice(g * 5, g * 5 + 5) !== expected.slice(g * 5, g * 5 + 5));
    } catch (error) {
      check.textContent = error instanceof CodeError ? codeProblem(error, t) : t.codeLength;
      return;
    }
    if (wrong.length) {
      check.textContent = t.groupWrong(wrong.map((g) => g + 1));
      return;
    }
    check.textContent = t.confirmed;
    window.removeEventListener("beforeunload", leave);
    section.querySelector("#receipt-confirm").classList.add("confirmed");
  });
  form.hidden = true;
  section.hidden = false;
  bringIntoView(section.querySelector("#receipt-title"), section.querySelector("#receipt-code"));
}

/** Focus the receipt's title and scroll it to the top (below the sticky header); if the code is
 *  then still below the screen (a short screen, the page zoomed in), scroll until it is not. */
function bringIntoView(title, code) {
  title.focus({ preventScroll: true });
  title.scrollIntoView({ block: "start" });
  if (code.getBoundingClientRect().bottom > window.innerHeight) code.scrollIntoView({ block: "end" });
}
