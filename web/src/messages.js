// What the report and check pages say, in Vietnamese and English.
// The sentences the function's own pages say too are written once, in intake_function/words.json
// (read by intake_function/words.py), and bound here to the names the pages use; this file keeps
// only the words no other place says.
import WORDS from "../../intake_function/words.json";

// Sizes as people read them: whole megabytes ("50 MB"), as the function's own messages say them.
const MB = (bytes) => `${Math.floor(bytes / (1024 * 1024))} MB`;
// A placeholder of words.json is a name in braces: "{n}", "{groups}" (as Python's str.format).
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => values[name]);
// Group numbers as intake_function/words.py lists them: "2 và 3", "1, 2, 3 và 4", "2 and 3".
const listed = (g, w) => (g.length > 1 ? `${g.slice(0, -1).join(", ")} ${w.list_and} ${g.at(-1)}` : `${g[0]}`);
const groupsText = (w, key, g) => fill(w[`${key}_${g.length > 1 ? "many" : "one"}`], { groups: listed(g, w) });

/** The shared sentences of one language, under the names the pages use. */
function shared(w) {
  return {
    tooLong: (n) => fill(w.too_long, { n }),
    phone: w.phone,
    email: w.email,
    consent: w.consent,
    tooManyFiles: (n) => fill(w.too_many_files, { n }),
    notSent: w.report_not_sent,
    checkNotDone: w.check_failed,
    followupNotSent: w.followup_not_sent,
    receiptTitle: w.receipt_title,
    nextTitle: w.next_heading,
    nextSteps: [w.next_handling, w.code_use, w.next_not_denunciation],
    checkPageLink: w.open_check,
    // The receipt code's check characters: which group to look at (web/src/code.js).
    codeLength: w.code_length,
    groupLength: (g) => groupsText(w, "code_group_length", g),
    groupCheck: (g) => groupsText(w, "code_check", g),
    groupsSwapped: (g) => fill(w.code_swapped, { groups: listed(g, w) }),
    groupInvalid: (g) => fill(w.code_character, { groups: listed([g], w) }),
    noReplies: w.no_replies,
    notRegistered: w.not_registered,
    authority: w.authority,
    reason: w.reason,
    followupTitle: w.add_heading,
    followupMessage: w.add_message,
    followupSend: w.add_send,
  };
}

export const MESSAGES = {
  vi: {
    ...shared(WORDS.vi),
    locale: "vi-VN",
    required: "Vui lòng nhập nội dung phản ánh.",
    chooseCategory: "Vui lòng chọn loại nội dung phản ánh.",
    fileTooBig: (name, max) => `Tệp “${name}” lớn hơn ${MB(max)} cho phép.`,
    filesTooBig: (max) => `Tổng dung lượng các tệp vượt quá ${MB(max)} cho phép.`,
    summary: (n) => `Phản ánh chưa được gửi: còn ${n} mục cần sửa.`,
    noKey: "Trang chưa có khóa công khai của Văn phòng Ban nên chưa thể mã hóa. Vui lòng dùng các kênh liên hệ khác.",
    unexpected: "Đã có lỗi trong trình duyệt khi gửi phản ánh.",
    keptTyped: "Nội dung Ông/Bà đã nhập vẫn còn nguyên; có thể bấm “Gửi phản ánh” lại.",
    network: "Mất kết nối mạng.",
    offline: (s) => `Mất kết nối mạng. Sẽ tự thử lại sau ${s} giây…`,
    offlineDetail: "Không cần làm gì: nội dung đã mã hóa được giữ lại và sẽ gửi tiếp khi có mạng.",
    pow: "Đang xác minh chống gửi tự động…",
    powDetail: "Máy của Ông/Bà đang thực hiện bước kiểm tra chống gửi tự động (một phép tính nhỏ); không có dữ liệu nào bị gửi đi.",
    encryptingFile: (i, n) => `Đang mã hóa tệp ${i}/${n} ngay trên máy của Ông/Bà…`,
    uploading: (i, n) => `Đang tải lên tệp đã mã hóa ${i}/${n}…`,
    sending: "Đang mã hóa và gửi phản ánh…",
    done: "Đã gửi xong.",
    receiptLead: (when) => `Phản ánh đã được mã hóa trên máy của Ông/Bà và lưu an toàn lúc ${when}. Chỉ Văn phòng Ban mở được nội dung.`,
    codeLabel: "Mã tra cứu:",
    codeWarning: `Vui lòng ghi lại, in hoặc tải mã này về ngay: mã chỉ có trên máy của Ông/Bà. ${WORDS.vi.code_one_to_keep}`,
    print: "In trang này",
    download: "Tải mã về máy",
    confirmTitle: "Xác nhận đã lưu mã",
    confirmSaved: "Tôi đã ghi lại hoặc lưu mã tra cứu.",
    confirmSavedFirst: "Vui lòng đánh dấu ô xác nhận đã lưu mã.",
    typeBack: "Nhập lại mã tra cứu một lần để kiểm tra đã ghi đúng:",
    confirm: "Kiểm tra mã",
    groupWrong: (groups) => `Nhóm ký tự thứ ${listed(groups, WORDS.vi)} chưa khớp. Vui lòng xem lại mã đã ghi.`,
    confirmed: "Đúng mã. Cảm ơn Ông/Bà; có thể đóng trang này.",
    fetching: "Đang tải thông tin đã mã hóa…",
    timelineTitle: "Thông tin Văn phòng Ban đã đăng",
    followupLead: "Nội dung bổ sung được mã hóa trên máy của Ông/Bà trước khi gửi và được gắn với phản ánh trước đó.",
    followupFiles: "Tệp đính kèm (không bắt buộc)",
    followupEmpty: "Vui lòng nhập nội dung bổ sung.",
    followupSent: `Đã gửi thông tin bổ sung. ${WORDS.vi.same_code}`,
    // The check page speaks of the check, not of sending a report.
    checkSummary: (n) => `Chưa tra cứu được: còn ${n} mục cần sửa.`,
    checkUnexpected: "Đã có lỗi trong trình duyệt khi tra cứu.",
    followupUnexpected: "Đã có lỗi trong trình duyệt khi gửi thông tin bổ sung.",
    answersFetched: (n) => `Đã tải và giải mã ${n} trả lời.`,
    noAnswersYet: "Đã tra cứu: chưa có trả lời nào.",
    followupLeadUnmatched:
      "Chưa có hồ sơ nào gắn với mã này, nên nội dung bổ sung sẽ được mã hóa trên máy của Ông/Bà, gửi đi và giữ lại để Văn phòng Ban đối chiếu.",
    followupKept: `Đã gửi và lưu an toàn thông tin bổ sung. Chưa có hồ sơ nào gắn với mã này. ${WORDS.vi.kept_for_matching}`,
    followupSummary: (n) => `Thông tin bổ sung chưa được gửi: còn ${n} mục cần sửa.`,
    followupKeptTyped: "Nội dung Ông/Bà đã nhập vẫn còn nguyên; có thể bấm “Gửi thông tin bổ sung” lại.",
    followupSending: "Đang mã hóa và gửi thông tin bổ sung…",
  },
  en: {
    ...shared(WORDS.en),
    locale: "en-GB",
    required: "Please describe what happened.",
    chooseCategory: "Please choose what the report is about.",
    fileTooBig: (name, max) => `“${name}” is larger than the ${MB(max)} allowed.`,
    filesTooBig: (max) => `The files together are larger than the ${MB(max)} allowed.`,
    summary: (n) => `The report was not sent: please correct ${n} field(s).`,
    noKey: "This page has no public key of the Office, so it cannot encrypt. Please use the other channels.",
    unexpected: "Something went wrong in the browser while sending.",
    keptTyped: "Everything you typed is still here; you can press “Send report” again.",
    network: "The network connection was lost.",
    offline: (s) => `No network connection. Trying again in ${s} s…`,
    offlineDetail: "Nothing to do: the encrypted report is kept and sending resumes when the network is back.",
    pow: "Checking that you are not an automated sender…",
    powDetail: "Your device is carrying out the check against automated sending (a small computation); nothing is sent meanwhile.",
    encryptingFile: (i, n) => `Encrypting file ${i} of ${n} on your device…`,
    uploading: (i, n) => `Uploading encrypted file ${i} of ${n}…`,
    sending: "Encrypting and sending the report…",
    done: "Sent.",
    receiptLead: (when) => `Your report was encrypted on your device and stored safely at ${when}. Only the Office can open it.`,
    codeLabel: "Receipt code:",
    codeWarning: `Write this code down, print it or save it now: it exists only on your device. ${WORDS.en.code_one_to_keep}`,
    print: "Print this page",
    download: "Save the code",
    confirmTitle: "Confirm you saved the code",
    confirmSaved: "I have written down or saved the receipt code.",
    confirmSavedFirst: "Please tick the box to confirm you saved the code.",
    typeBack: "Type the receipt code once more to check you wrote it correctly:",
    confirm: "Check the code",
    groupWrong: (groups) =>
      `${groups.length > 1 ? `Groups ${listed(groups, WORDS.en)} do` : `Group ${groups[0]} does`} not match. Please look at the code you wrote.`,
    confirmed: "The code is correct. Thank you; you can close this page.",
    fetching: "Fetching what the Office posted (encrypted)…",
    timelineTitle: "Posted by the Office",
    followupLead: "What you add is encrypted on your device before it is sent, and joined to your earlier report.",
    followupFiles: "Attach files (optional)",
    followupEmpty: "Please write what you want to add.",
    followupSent: `Sent. ${WORDS.en.same_code}`,
    // The check page speaks of the check, not of sending a report.
    checkSummary: (n) => `Could not check: please correct ${n} field(s).`,
    checkUnexpected: "Something went wrong in the browser while checking.",
    followupUnexpected: "Something went wrong in the browser while sending the information.",
    answersFetched: (n) => `${n} answer(s) fetched and decrypted.`,
    noAnswersYet: "Checked: no answer yet.",
    followupLeadUnmatched:
      "No case is linked to this code yet, so what you add is encrypted on your device, sent, and kept for the Office to match.",
    followupKept: `Sent and stored safely. No case is linked to this code yet. ${WORDS.en.kept_for_matching}`,
    followupSummary: (n) => `The information was not sent: please correct ${n} field(s).`,
    followupKeptTyped: "Everything you typed is still here; you can press “Send the information” again.",
    followupSending: "Encrypting and sending the information…",
  },
};
