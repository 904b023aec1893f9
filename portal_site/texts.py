"""Every word the engine itself puts on a page, in Vietnamese (first) and English.

Page prose lives in ``docs/``; these are the labels around the data of ``portal.yml`` and the
quizzes, and the few blocks several pages share (the note on the amended laws, the glossary of
phản ánh / kiến nghị / tố cáo / tố giác, the statuses a reporter can see, the placeholder and
draft notices), kept here so that both languages stay side by side and in step with
``../shared/GLOSSARY.md``.

Keys ending in ``_md`` are Markdown written here (trusted), with ``{name}`` slots that
``portal_site.render`` fills; every other value is plain text and is escaped where it lands.
"""

from __future__ import annotations

import unicodedata

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "pending": "đang cập nhật",
        "pending_note": (
            "Các mục ghi “đang cập nhật” là thông tin Văn phòng Ban chưa công bố; "
            "trang này sẽ được bổ sung ngay khi có thông tin chính thức."
        ),
        "hotline": "Đường dây nóng",
        "email": "Thư điện tử tiếp nhận phản ánh",
        "postal_address": "Địa chỉ nhận văn bản, đơn thư",
        "mailbox": "Hòm thư góp ý",
        "address": "Địa chỉ",
        "address_heading": "Trụ sở và giờ làm việc",
        "office_hours": "Giờ làm việc",
        "reception": "Lịch tiếp công dân định kỳ của Trưởng ban",
        "reception_short": "Tiếp công dân định kỳ",
        "reception_day": "Ngày tiếp",
        "reception_time": "Thời gian",
        "reception_place": "Địa điểm",
        "reception_registration": "Cách đăng ký",
        "reception_note": "Lưu ý",
        "ics_link": "Tải lịch tiếp công dân (tệp .ics) để thêm vào lịch trên điện thoại hoặc máy tính",
        "ics_pending": "Tệp lịch (.ics) sẽ có lịch tiếp khi Văn phòng Ban cập nhật đủ ngày, giờ và địa điểm.",
        "online": "Gửi phản ánh trực tuyến",
        "online_text": "Phản ánh gửi trực tuyến được mã hóa để chỉ Văn phòng Ban đọc được.",
        "online_link": "Gửi phản ánh trực tuyến",
        "follow_up_link": "Theo dõi phản ánh bằng mã tra cứu",
        "confidentiality_link": "Quy trình bảo mật thông tin người phản ánh, tố giác",
        "updated": "Thông tin được cập nhật ngày",
        "updated_unknown": "Ngày cập nhật thông tin:",  # before "đang cập nhật", never "ngày đang cập nhật"
        "contacts_link": "Xem đầy đủ thông tin tiếp nhận",
        "contacts_page": "Thông tin tiếp nhận",
        "privacy_page": "Chính sách quyền riêng tư",
        "accessibility_page": "Khả năng tiếp cận",
        "key_primary": "Khóa chính",
        "key_backup": "Khóa dự phòng",
        "key_label": "Khóa công khai",
        "fingerprint": "Mã nhận dạng khóa (để đối chiếu qua điện thoại)",
        "key_kind": "Loại khóa",
        "key_kind_hybrid": "khóa lai hậu lượng tử (ML-KEM-768 + X25519): an toàn cả trước máy tính lượng tử",
        "key_kind_x25519": "khóa X25519",
        "keys_pending": "Khóa công khai của Văn phòng Ban đang cập nhật.",
        "footer_nav": "Liên kết chân trang",
        "table": "Bảng",
        "quiz_hint_nojs": "Mỗi câu có một đáp án đúng; mở mục “Xem đáp án” để đối chiếu.",
        "quiz_hint_js": (
            "Chọn một phương án cho mỗi câu để xem ngay đúng hay chưa đúng. Không có dữ liệu nào rời khỏi trang."
        ),
        "quiz_show_answer": "Xem đáp án",
        "quiz_answer": "Đáp án",
        "quiz_correct": "Đúng.",
        "quiz_wrong": "Chưa đúng.",
        "quiz_right_answer_is": "Đáp án đúng:",
        "quiz_score": "Số câu trả lời đúng: {correct}/{total}.",
        "quiz_question": "Câu",
        "online_reception": "Tiếp công dân trực tuyến",
        "online_reception_lead_md": (
            "Luật Tiếp công dân, được sửa đổi, bổ sung bởi Luật số 136/2025/QH15 (có hiệu lực từ ngày "
            "01/7/2026), quy định hai hình thức tiếp công dân: trực tiếp và trực tuyến (Điều 3a); Chính phủ quy định "
            "việc tiếp công dân trực tuyến."
        ),
        "online_reception_how": "Cách thức",
        "online_reception_url": "Trang tiếp công dân trực tuyến",
        "escalation": "Khi nội dung liên quan đến Văn phòng Ban hoặc Trưởng ban",
        "escalation_head": "Gửi thẳng Trưởng ban, không qua Văn phòng Ban",
        "escalation_superior": (
            "Khi nội dung liên quan đến Trưởng ban, gửi cơ quan có thẩm quyền quản lý cán bộ của Ban"
        ),
        # Said of the route to the Head only: a complaint about the Head never ends with the Head.
        "escalation_head_reception": "hoặc trình bày trực tiếp tại buổi tiếp công dân định kỳ của Trưởng ban",
        "escalation_superior_pending": (
            "(Văn phòng Ban bổ sung: tên cơ quan quản lý cán bộ của Ban, cấp trên trực tiếp của Ban, và cách gửi; "
            "chưa kiểm chứng)"
        ),
        "escalation_superior_not_head": "Không gửi qua Trưởng ban hay Văn phòng Ban.",
        # The online form is sealed to the Office's key: it cannot carry a report about the Office.
        "escalation_not_online": (
            "Phản ánh gửi trực tuyến chỉ Văn phòng Ban đọc được, nên không dùng biểu mẫu trực tuyến trong các "
            "trường hợp này."
        ),
        # The placeholder notice of the home and report pages (portal: setup-notice).
        "setup_title": "Thông tin tiếp nhận chưa đầy đủ",
        "setup_keys": (
            "Biểu mẫu gửi phản ánh trực tuyến chưa hoạt động: Văn phòng Ban chưa công bố khóa công khai dùng để mã "
            "hóa phản ánh."
        ),
        "setup_channels": "Các thông tin sau chưa được công bố và đang ghi “đang cập nhật”:",
        "setup_after_md": (
            "Các mục này được bổ sung khi Lãnh đạo Ban xác nhận thông tin. Kênh nào đã dùng được: xem trang "
            "[Thông tin tiếp nhận]({contacts})."
        ),
        "setup_poster_channels": (
            "Các mục ghi “đang cập nhật” dưới đây chưa được công bố, và sẽ được bổ sung khi Lãnh đạo Ban xác nhận."
        ),
        "channel_keys": "khóa công khai để mã hóa phản ánh trực tuyến",
        "channel_hotline": "đường dây nóng",
        "channel_email": "thư điện tử tiếp nhận phản ánh",
        "channel_postal_address": "địa chỉ nhận văn bản, đơn thư",
        "channel_mailbox": "vị trí hòm thư góp ý",
        "channel_reception": "lịch tiếp công dân định kỳ",
        "channel_online_reception": "tiếp công dân trực tuyến",
        "channel_address": "trụ sở và giờ làm việc",
        "channel_escalation": "nơi gửi khi nội dung liên quan đến Văn phòng Ban hoặc Trưởng ban",
        # The draft label of the procedure and of the routing guidance (portal: procedure-status).
        "draft_title": "Dự thảo, chờ Lãnh đạo Ban phê duyệt",
        "draft_md": (
            "[Quy trình bảo mật thông tin người phản ánh, tố giác]({procedure}), kể cả hướng dẫn chuyển phản ánh "
            "về Văn phòng Ban để vào sổ theo dõi, là hướng dẫn của Ban đang chờ Lãnh đạo Ban phê duyệt. Nội dung có "
            "thể thay đổi khi được phê duyệt."
        ),
        "draft_line": "Dự thảo: hướng dẫn chuyển phản ánh về Văn phòng Ban đang chờ Lãnh đạo Ban phê duyệt.",
        "approved_line": "Hướng dẫn của Ban, được phê duyệt theo {approval}.",
        "approved_title": "Đã được phê duyệt",
        "approved_md": (
            "[Quy trình bảo mật thông tin người phản ánh, tố giác]({procedure}), kể cả hướng dẫn chuyển phản ánh "
            "về Văn phòng Ban, được phê duyệt theo {approval}; áp dụng từ ngày {effective}."
        ),
        # The short note after every citation of the 2018/2013 texts, and the page note it links to.
        # After a law's name only, never after an article or a quotation (those are of the 2018/2013 text).
        "amended": "nay đã được sửa đổi, bổ sung",
        "law_note_title": "Luật Tố cáo và Luật Tiếp công dân đã được sửa đổi, bổ sung",
        "law_note_md": (
            "Luật Tố cáo số 25/2018/QH14 và Luật Tiếp công dân số 42/2013/QH13 đã được sửa đổi, bổ sung, trong đó "
            "có Luật số 136/2025/QH15, có hiệu lực từ ngày 01/7/2026. Số điều, lời trích và thời hạn trên trang "
            "này theo văn bản năm 2018 và năm 2013, nên có thể đã thay đổi. Trước khi dựa vào một điều luật hoặc "
            "một thời hạn, Ông/Bà nên xem văn bản hợp nhất hoặc hỏi Văn phòng Ban."
        ),
        # The short glossary on the pages where a citizen chooses a channel (portal: terms).
        "terms_title": "Phản ánh, kiến nghị, tố cáo, tố giác: khác nhau thế nào?",
        "terms_md": (
            "- **Phản ánh:** cho cơ quan biết về một sự việc, một hành vi có dấu hiệu tham nhũng, lãng phí, tiêu "
            "cực, gây khó khăn, phiền hà. Có thể không nêu tên. Biểu mẫu [gửi phản ánh trực tuyến]({online}) và các "
            "kênh của Ban tiếp nhận phản ánh.\n"
            "- **Kiến nghị:** đề xuất với cơ quan một cách giải quyết, một việc cần sửa đổi. Gửi qua các kênh như "
            "phản ánh.\n"
            "- **Tố cáo:** báo cho cơ quan, người có thẩm quyền về hành vi vi phạm pháp luật của cơ quan, tổ chức, "
            "cá nhân, theo thủ tục của Luật Tố cáo {amended}. Người tố cáo phải nêu rõ họ tên, địa chỉ, và tố cáo "
            "bằng đơn hoặc trình bày trực tiếp: xem [Cách tố cáo theo Luật Tố cáo]({formal}). Một phản ánh gửi "
            "trực tuyến, dù có ghi họ tên, chưa phải là đơn tố cáo.\n"
            "- **Tố giác:** trong Chỉ thị số 27-CT/TW và Kế hoạch của Ban, từ này chỉ chung việc phát hiện và báo "
            "cho cơ quan biết về tham nhũng, lãng phí, tiêu cực. Tố giác về tội phạm được giải quyết theo pháp luật "
            "tố tụng hình sự; nếu gửi đến Ban, nội dung được chuyển cơ quan có thẩm quyền.\n"
            "- **Khiếu nại:** đề nghị xem xét lại một quyết định, hành vi hành chính mà Ông/Bà cho là xâm phạm "
            "quyền, lợi ích hợp pháp của chính mình. Khiếu nại được giải quyết theo pháp luật về khiếu nại, không "
            "qua biểu mẫu phản ánh; liên hệ Văn phòng Ban qua các [kênh tiếp nhận]({contacts}) để được hướng dẫn.\n"
            "\n"
            "Đây là giải thích ngắn để chọn kênh, không phải định nghĩa pháp lý."
        ),
        # What each status a reporter can see means (portal: statuses); keyed by the reply schema's codes.
        "status_heading": "Tình trạng",
        "status_meaning": "Ý nghĩa",
        "status_received": "Văn phòng Ban đã tải phản ánh về, giải mã và ghi vào sổ theo dõi.",
        "status_classifying": (
            "Văn phòng Ban đang xác định nội dung là phản ánh, kiến nghị hay có nội dung tố cáo, và có thuộc phạm "
            "vi quản lý của Ban hay không."
        ),
        "status_handling": (
            "Nội dung thuộc phạm vi quản lý của Ban đang được xem xét, xử lý theo quy định; phòng, đơn vị liên "
            "quan có thể được giao phối hợp, chỉ với phần thông tin cần cho việc được giao."
        ),
        "status_forwarded": (
            "Nội dung vượt thẩm quyền của Ban đã được chuyển đến cơ quan có thẩm quyền (tên cơ quan được ghi kèm). "
            "Việc xem xét tiếp theo do cơ quan đó thực hiện; thông tin chuyển đi chỉ gồm phần cần cho việc xử lý, "
            "kèm đề nghị giữ bí mật thông tin người phản ánh."
        ),
        "status_concluded": (
            "Việc xem xét, xử lý phản ánh tại Ban đã kết thúc; Văn phòng Ban có thể ghi kèm những gì được phép cho "
            "biết. Đây không phải văn bản kết luận nội dung tố cáo."
        ),
        "status_not_accepted": "Văn phòng Ban không xem xét, xử lý nội dung này; lý do được ghi kèm.",
        "status_question": (
            "Ngoài tình trạng, Văn phòng Ban có thể đăng một câu hỏi khi cần Ông/Bà làm rõ hoặc bổ sung thông "
            "tin; Ông/Bà trả lời bằng phần “Bổ sung thông tin” trên cùng trang."
        ),
        # The timing the Board commits to (portal: timing).
        "timing_pending": "đang cập nhật (Lãnh đạo Ban quyết định)",
        "timing_acknowledge": "Đăng tình trạng “Đã tiếp nhận” cho phản ánh trực tuyến",
        "timing_acknowledge_value": "trong vòng {n} ngày làm việc kể từ khi phản ánh được gửi",
        "timing_classify": "Phân loại và đăng tình trạng tiếp theo",
        "timing_classify_value": "trong vòng {n} ngày làm việc kể từ khi tiếp nhận",
        "timing_update": "Trong khi xử lý, cập nhật tình trạng",
        "timing_update_value": "ít nhất {n} ngày làm việc một lần",
        "timing_note": (
            "Đây là thời hạn Ban cam kết cho việc đăng tình trạng qua mã tra cứu, không phải thời hạn giải quyết "
            "tố cáo theo pháp luật."
        ),
        # Where to send or bring a formal denunciation (portal: formal-channels).
        "formal_letter": "Gửi đơn qua bưu điện hoặc nộp trực tiếp tại",
        "formal_in_person": "Trình bày trực tiếp: trụ sở của Ban",
        "formal_reception": "hoặc tại buổi tiếp công dân định kỳ của Trưởng ban",
    },
    "en": {
        "pending": "being updated",
        "pending_note": (
            "Items marked “being updated” have not been published by the Office yet; "
            "this page will be completed as soon as the official information is available."
        ),
        "hotline": "Hotline",
        "email": "E-mail for reports",
        "postal_address": "Address for letters and written reports",
        "mailbox": "Comment mailbox",
        "address": "Address",
        "address_heading": "Head office and office hours",
        "office_hours": "Office hours",
        "reception": "Periodic citizen reception by the Head of the Board",
        "reception_short": "Periodic citizen reception",
        "reception_day": "Day",
        "reception_time": "Time",
        "reception_place": "Place",
        "reception_registration": "How to register",
        "reception_note": "Note",
        "ics_link": "Download the reception schedule (.ics file) to add it to the calendar of a phone or computer",
        "ics_pending": (
            "The calendar file (.ics) will hold the schedule once the Office has published its day, time and place."
        ),
        "online": "Send a report online",
        "online_text": "Reports sent online are encrypted so that only the Board's Office can read them.",
        "online_link": "Send a report online",
        "follow_up_link": "Follow up on your report with the receipt code",
        "confidentiality_link": "Confidentiality procedure for reporters' information",
        "updated": "Information last updated on",
        "updated_unknown": "Date of the last update:",
        "contacts_link": "See all the ways to reach the Board",
        "contacts_page": "Contacts",
        "privacy_page": "Privacy notice",
        "accessibility_page": "Accessibility",
        "key_primary": "Primary key",
        "key_backup": "Backup key",
        "key_label": "Public key",
        "fingerprint": "Key fingerprint (to compare over the phone)",
        "key_kind": "Kind of key",
        "key_kind_hybrid": "hybrid post-quantum key (ML-KEM-768 + X25519): safe against quantum computers too",
        "key_kind_x25519": "X25519 key",
        "keys_pending": "The Office's public key is being updated.",
        "footer_nav": "Footer links",
        "table": "Table",
        "quiz_hint_nojs": "Each question has one right answer; open “Show the answer” to check.",
        "quiz_hint_js": (
            "Pick an option for each question to see at once whether it is right. Nothing leaves this page."
        ),
        "quiz_show_answer": "Show the answer",
        "quiz_answer": "Answer",
        "quiz_correct": "Right.",
        "quiz_wrong": "Not quite.",
        "quiz_right_answer_is": "The right answer:",
        "quiz_score": "Right answers: {correct}/{total}.",
        "quiz_question": "Question",
        "online_reception": "Online citizen reception",
        "online_reception_lead_md": (
            "The Law on Citizen Reception, as amended by Law No. 136/2025/QH15 (in force from 1 July 2026), "
            "provides for two forms of citizen reception, in person and online (Article 3a); the Government regulates "
            "online reception."
        ),
        "online_reception_how": "How it works",
        "online_reception_url": "Online reception page",
        "escalation": "When the matter concerns the Office or the Head of the Board",
        "escalation_head": "To the Head of the Board directly, not through the Office",
        "escalation_superior": (
            "When the matter concerns the Head of the Board, write to the body with authority to manage the Board's "
            "officials"
        ),
        "escalation_head_reception": "or speak to the Head in person at the Head's periodic citizen reception",
        "escalation_superior_pending": (
            "(to be added by the Office: the name of the body that manages the Board's officials, the Board's direct "
            "superior, and how to write to it; not verified)"
        ),
        "escalation_superior_not_head": "Not through the Head of the Board or the Office.",
        "escalation_not_online": (
            "A report sent online can be read only by the Office, so do not use the online form in these cases."
        ),
        "setup_title": "Contact information is not complete yet",
        "setup_keys": (
            "The online report form does not work yet: the Office has not published the public key used to encrypt "
            "reports."
        ),
        "setup_channels": "The following have not been published yet and show as “being updated”:",
        "setup_after_md": (
            "They will be added once the Board's leaders confirm them. Which channels already work: see "
            "[Contacts]({contacts})."
        ),
        "setup_poster_channels": (
            "The items marked “being updated” below have not been published yet; they will be added once the "
            "Board's leaders confirm them."
        ),
        "channel_keys": "the public key that encrypts online reports",
        "channel_hotline": "the hotline",
        "channel_email": "the e-mail address for reports",
        "channel_postal_address": "the address for letters and written reports",
        "channel_mailbox": "where the comment mailbox is",
        "channel_reception": "the periodic citizen reception schedule",
        "channel_online_reception": "online citizen reception",
        "channel_address": "the head office and office hours",
        "channel_escalation": "where to write when the matter concerns the Office or the Head of the Board",
        "draft_title": "Draft, awaiting approval by the Board's leaders",
        "draft_md": (
            "The [confidentiality procedure for reporters' information]({procedure}), including the guidance to pass "
            "reports to the Office for its case register, is the Board's guidance awaiting approval by the Board's "
            "leaders. It may change when approved."
        ),
        "draft_line": "Draft: the guidance to pass reports to the Office awaits approval by the Board's leaders.",
        "approved_line": "The Board's guidance, approved by {approval}.",
        "approved_title": "Approved",
        "approved_md": (
            "The [confidentiality procedure for reporters' information]({procedure}), including the guidance to pass "
            "reports to the Office, was approved by {approval}; it applies from {effective}."
        ),
        "amended": "since amended",
        "law_note_title": "The Law on Denunciation and the Law on Citizen Reception have been amended",
        "law_note_md": (
            "The Law on Denunciation No. 25/2018/QH14 and the Law on Citizen Reception No. 42/2013/QH13 have been "
            "amended, among others by Law No. 136/2025/QH15, in force from 1 July 2026. Article numbers, quotations "
            "and time limits on this page follow the 2018 and 2013 texts, so they may have changed. Before relying on "
            "an article or a time limit, read the consolidated text or ask the Office."
        ),
        "terms_title": "Report, recommendation, denunciation, tố giác: what is the difference?",
        "terms_md": (
            "- **Report (phản ánh):** telling an authority about a fact or an act that looks like corruption, waste, "
            "negativity, obstruction or causing difficulties. You need not give your name. The [online form]"
            "({online}) and the Board's channels take reports.\n"
            "- **Recommendation (kiến nghị):** proposing to an authority a way to solve a problem or something to "
            "change. Sent through the same channels as a report.\n"
            "- **Denunciation (tố cáo):** informing the competent authority or person of a breach of the law by an "
            "agency, organisation or individual, under the procedure of the Law on Denunciation {amended}. The "
            "denouncer must give a name and address, and denounce by a written petition or in person: see [Making a "
            "formal denunciation]({formal}). A report sent online is not a denunciation, even with a name.\n"
            "- **Tố giác:** in Directive No. 27-CT/TW and the Board's plan, this word covers detecting and reporting "
            "corruption, waste and negativity in general. A report of a crime (tố giác tội phạm) is dealt with under "
            "criminal procedure law; if it is sent to the Board, it is forwarded to the competent authority.\n"
            "- **Complaint (khiếu nại):** asking for an administrative decision or act that you believe harms your "
            "own lawful rights and interests to be reviewed. Complaints are dealt with under the law on complaints, "
            "not through the report form; contact the Office through the [channels]({contacts}) for guidance.\n"
            "\n"
            "This is a short explanation to help you choose a channel, not a legal definition."
        ),
        "status_heading": "Status",
        "status_meaning": "What it means",
        "status_received": "The Office has retrieved and decrypted your report and entered it in its case register.",
        "status_classifying": (
            "The Office is deciding whether it is a report, a recommendation or contains a denunciation, and whether "
            "it falls within the Board's remit."
        ),
        "status_handling": (
            "A matter within the Board's remit is being considered and dealt with under the rules; a division or "
            "unit may be asked to help, with only the information its task needs."
        ),
        "status_forwarded": (
            "A matter beyond the Board's competence has been forwarded to the competent authority (named with the "
            "status). That authority takes it from there; only the part needed to handle it is passed on, with a "
            "request to keep the reporter's information confidential."
        ),
        "status_concluded": (
            "The Board has finished considering and dealing with the report; the Office may add what it is allowed to "
            "say. This is not a conclusion on a denunciation."
        ),
        "status_not_accepted": "The Office will not consider or deal with this matter; the reason is given with it.",
        "status_question": (
            "Besides a status, the Office may post a question when it needs you to clarify or add something; you "
            "answer with “Add information” on the same page."
        ),
        "timing_pending": "being updated (to be decided by the Board's leaders)",
        "timing_acknowledge": "Posting the “Received” status for an online report",
        "timing_acknowledge_value": "within {n} working days of sending",
        "timing_classify": "Classifying and posting the next status",
        "timing_classify_value": "within {n} working days of receipt",
        "timing_update": "While the report is being handled, updating its status",
        "timing_update_value": "at least every {n} working days",
        "timing_note": (
            "These are the Board's own commitments for posting statuses through the receipt code, not the legal time "
            "limits for resolving a denunciation."
        ),
        "formal_letter": "Send a petition by post or hand it in at",
        "formal_in_person": "In person: the Board's head office",
        "formal_reception": "or at the Head's periodic citizen reception",
    },
}

_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def label(lang: str, key: str) -> str:
    """The label ``key`` in ``lang``; an unknown key is a programming error, so it raises."""
    return _LABELS[lang if lang in _LABELS else DEFAULT_LANGUAGE][key]


def format_date(lang: str, value) -> str:
    """A date as each language writes it in administrative text: 20/05/2026, 20 May 2026."""
    if lang == "en":
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return value.strftime("%d/%m/%Y")


def fold(text: str) -> str:
    """Vietnamese without diacritics, lower case: 'Tố giác' -> 'to giac' (for lenient matching)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]
