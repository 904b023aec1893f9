// "Theo dõi phản ánh": the reporter types the receipt code; the page derives the lookup id and
// the reply key, fetches the Office's encrypted answers, decrypts them here and shows them,
// and lets the reporter add information or files, still anonymously. The code is never sent
// and never stored (not in storage, not in the URL); the lookup id goes in a request's body,
// never in a URL, and a follow-up carries the code's proof inside its envelope. Checking costs
// no proof-of-work: the function bounds it per client. Without JavaScript the form posts the
// code to the function instead, which the page says plainly.
import { CodeError, normalise } from "./code.js";
import { Failure, send, withRetry } from "./net.js";
import { MESSAGES } from "./messages.js";
import { importVerified } from "./verified.js";
import { codeProblem, element, errorSummary, progressPanel, setBusy, showProblems } from "./ui.js";
import replySchema from "../../intake_function/schemas/reply-1.schema.json";

const form = document.getElementById("check-form");
if (form) start(form);

let cryptoModule = null;
/** The decryption code, fetched once: on the first focus in the form, or when checking. */
function loadCrypto() {
  cryptoModule ??= importVerified(() => import("./crypto.js"));
  return cryptoModule;
}

function start(form) {
  const lang = form.dataset.lang === "en" ? "en" : "vi";
  const t = MESSAGES[lang];
  const tc = { ...t, summary: t.checkSummary, notSent: t.checkNotDone, unexpected: t.checkUnexpected }; // its own words
  const api = form.dataset.api || "/api/v1";
  const config = JSON.parse(document.getElementById("portal-config")?.textContent || "{}");
  const labels = replySchema.properties.status["x-labels"];
  form.noValidate = true;
  form.classList.add("js-enabled");
  form.addEventListener("focusin", () => loadCrypto().catch(() => {}), { once: true });
  const summary = errorSummary(form);
  const progress = progressPanel(form);
  const results = element("section", { id: "check-results", class: "check-results", hidden: "", tabindex: "-1" });
  form.after(results);
  let busy = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const input = form.elements.namedItem("code");
    try {
      normalise(input.value); // a slip is caught here, before anything is loaded, fetched or sent
    } catch (error) {
      const message = error instanceof CodeError ? codeProblem(error, t) : t.codeLength;
      showProblems(form, summary, [{ field: "code", message }], tc);
      return;
    }
    showProblems(form, summary, [], tc);
    results.hidden = true;
    busy = true;
    setBusy(form, true);
    try {
      const { Decrypter, derive, sendDocument } = await loadCrypto();
      const derived = await derive(input.value);
      const waiting = (s) => progress(t.offline(s), 0, t.offlineDetail);
      progress(t.fetching, 0.5);
      const answer = await withRetry(
        () =>
          send({
            method: "POST",
            url: `${api}/replies`,
            body: JSON.stringify({ lookup_id: derived.lookupId }),
            headers: { "Content-Type": "application/json" },
            networkMessage: t.network,
          }),
        waiting,
      );
      const decrypter = new Decrypter();
      decrypter.addIdentity(derived.replyIdentity);
      const replies = [];
      for (const item of answer.replies) {
        try {
          const bytes = Uint8Array.from(atob(item.envelope), (c) => c.charCodeAt(0));
          replies.push(JSON.parse(await decrypter.decrypt(bytes, "text")));
        } catch {
          // an answer this code cannot open is skipped; the others still show
        }
      }
      progress(replies.length ? t.answersFetched(replies.length) : t.noAnswersYet, 1);
      const known = answer.known !== false; // the Office has a case for this code
      render(results, replies.sort((a, b) => a.at.localeCompare(b.at)), derived, known, {
        t, lang, labels, api, config, sendDocument,
      });
    } catch (error) {
      const message = error instanceof Failure ? error.message : tc.unexpected;
      showProblems(form, summary, [{ field: "", message }], tc);
    } finally {
      busy = false;
      setBusy(form, false);
    }
  });
}

function render(section, replies, derived, known, { t, lang, labels, api, config, sendDocument }) {
  section.innerHTML = "";
  const heading = element("h2", {});
  heading.textContent = t.timelineTitle;
  section.append(heading);
  if (!replies.length) {
    const none = element("p", {});
    none.textContent = known ? t.noReplies : t.notRegistered;
    section.append(none);
  } else {
    const list = element("ol", { class: "timeline" });
    for (const reply of replies) {
      const item = element("li", {});
      const title = element("p", {});
      const strong = element("strong", {});
      strong.textContent = labels[reply.status]?.[lang] || reply.status;
      title.append(strong, ` – ${new Date(reply.at).toLocaleString(t.locale, { dateStyle: "short", timeStyle: "short" })}`);
      item.append(title);
      for (const [key, label] of [["authority", t.authority], ["reason", t.reason], ["message", ""]]) {
        if (!reply[key]) continue;
        const p = element("p", { class: key === "message" ? "message" : "" });
        p.textContent = label ? `${label} ${reply[key]}` : reply[key];
        item.append(p);
      }
      list.append(item);
    }
    section.append(list);
  }
  section.append(followupForm(derived, known, { t, lang, api, config, sendDocument }));
  section.hidden = false;
  section.focus();
}

function followupForm(derived, known, { t, lang, api, config, sendDocument }) {
  // Its own words: a summary about the information added, progress about sending it.
  const tf = {
    ...t,
    summary: t.followupSummary,
    notSent: t.followupNotSent,
    sending: t.followupSending,
    unexpected: t.followupUnexpected,
  };
  const form = element("form", { id: "followup-form", class: "followup-form", novalidate: "" });
  form.innerHTML = `
    <h2>${t.followupTitle}</h2>
    <p>${known ? t.followupLead : t.followupLeadUnmatched}</p>
    <div class="field"><label for="f-message">${t.followupMessage}</label>
      <textarea id="f-message" name="message" rows="6" maxlength="20000" aria-describedby="error-message"></textarea>
      <p class="field-error" id="error-message" hidden></p></div>
    <div class="field"><label for="f-followup-files">${t.followupFiles}</label>
      <input type="file" id="f-followup-files" name="attachments" multiple></div>
    <p><button type="submit" class="md-button md-button--primary">${t.followupSend}</button></p>`;
  const summary = errorSummary(form);
  const progress = progressPanel(form);
  const sealedFiles = [];
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = form.elements.namedItem("message").value.trim();
    if (!message) {
      showProblems(form, summary, [{ field: "message", message: t.followupEmpty }], tf);
      return;
    }
    showProblems(form, summary, [], tf);
    setBusy(form, true);
    try {
      const files = Array.from(form.elements.namedItem("attachments").files || []);
      const document_ = {
        schema: "followup/1",
        lookup_id: derived.lookupId,
        proof: derived.followupProof,
        message,
        language: lang,
      };
      await sendDocument({ api, recipients: config.recipients || [], document: document_, files, sealedFiles, progress, t: tf });
      form.innerHTML = "";
      // Told truthfully: joined to a case the Office has, or kept for it to match.
      const done = element("p", {
        class: known ? "followup-sent" : "followup-sent followup-kept",
        role: "status",
        tabindex: "-1",
      });
      done.textContent = known ? t.followupSent : t.followupKept;
      form.append(done);
      done.focus(); // the form it replaces held the focus: it stays here, not on the page's body
    } catch (error) {
      const text = error instanceof Failure ? error.message : tf.unexpected;
      showProblems(form, summary, [{ field: "", message: `${text} ${t.followupKeptTyped}` }], tf);
    } finally {
      setBusy(form, false);
    }
  });
  return form;
}
