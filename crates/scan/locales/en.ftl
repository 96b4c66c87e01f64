## Scan — English

org-scan-link = This organisation's scans
card-scan-title = Scan

# --- waves ---
scan-waves-title = Scans
scan-waves-intro = measurements of digital maturity and leadership, in waves. Compare a wave with the previous one to see what changed.
scan-waves-none = No wave has been started yet.
scan-new-title = New wave
scan-new-intro = Choose a model, the perspectives that answer, and whether answers are anonymous. Then invite people and open the wave.
scan-wave-title = Wave
scan-wave-title-field = Name of the wave
scan-wave-title-hint = For example "Baseline 2027".
scan-model = Model
scan-model-key-informant = One person answers this model on behalf of the organisation; the answers are not anonymous.
scan-perspectives = Perspectives
scan-perspectives-hint = One perspective per line. Add "; self" to a perspective that rates itself, and optionally "; 2" for a weight other than 1. For example: "Managers; self".
scan-perspectives-default = Board and management
    Staff
scan-perspective = Perspective
scan-rates-self = Rates itself
scan-weight = Weight
scan-anonymous = Anonymous
scan-anonymous-hint = In an anonymous wave answers cannot be linked to the invitation. Only whether someone answered is kept.
scan-anonymous-yes = Yes, anonymous
scan-anonymous-no = No, answers belong to the invitation
scan-key-informant-short = No (one person for the organisation)
scan-previous = Compare with wave
scan-previous-none = (none)
scan-create = Create wave
scan-status = Status
scan-status-concept = In preparation
scan-status-open = Open
scan-status-closed = Closed
scan-created = Created
scan-opened = Opened
scan-closed = Closed on
scan-yes = yes
scan-no = no
scan-results-link = Results
scan-import-link = Import responses
scan-open-wave = Open the wave
scan-concept-hint = You can already make invitations and an open link; answering starts when the wave is open.
scan-error-title = Give the wave a name of at most 200 characters.
scan-error-model = Choose a model.
scan-error-perspective-name = Every perspective has a name of at most 80 characters.
scan-error-perspective-weight = A weight is a number above 0 and at most 100.
scan-error-perspective-flag = After a perspective only "self" or a weight may follow.
scan-error-perspective-duplicate = Two perspectives have the same name.
scan-error-perspectives-empty = Give at least one perspective.
scan-error-perspectives-many = Give at most 12 perspectives.
scan-error-anonymous = Choose whether the wave is anonymous.
scan-error-previous = Choose a wave of this organisation to compare with, or none.
scan-error-wave-closed = This wave is closed.
notice-scan-wave-created = The wave was created.
notice-scan-wave-opened = The wave is open: respondents can answer.
notice-scan-wave-not-concept = The wave was already open.
notice-scan-remind-not-open = Reminders can only be sent while the wave is open.
notice-scan-open-link-closed = This wave is closed; it can have no open link.
notice-scan-open-link-revoked = The open link was revoked and no longer works.
scan-progress-title = Progress
scan-progress = Responses
scan-progress-total = { $n ->
    [one] 1 response is in.
   *[other] { $n } responses are in.
}
scan-progress-invited = { $n ->
    [one] 1 person invited,
   *[other] { $n } people invited,
}
scan-progress-completed = { $n } of them have answered.
scan-progress-count = { $n ->
    [one] 1 response
   *[other] { $n } responses
}
scan-progress-enough = enough responses
scan-progress-too-few = not enough responses yet
scan-progress-rule = We show no count per perspective: only whether there are enough responses to show results without anyone being recognisable.
scan-invite-title = Invite
scan-invitees = Invitees
scan-invitees-hint = One person per line: perspective; name or e-mail address. For example "Staff; jan@example.org". Everyone gets a link of their own.
scan-invite-button = Make links
scan-error-invitees-empty = Give at least one invitee.
scan-error-invitees-many = Give at most 1000 invitees at once.
scan-error-invitee-line = Line { $line }: write "perspective; name or e-mail address".
scan-error-invitee-perspective = Line { $line }: this wave has no perspective "{ $perspective }".
scan-error-invitee-name = Line { $line }: give a name or e-mail address of at most 200 characters.
scan-error-invitee-email = Line { $line }: this is not a valid e-mail address.
scan-links-title = New personal links
scan-reminded-title = Reminders: new links
scan-links-once = These links are shown only now: Koers does not keep them. Copy them now.
scan-link-mailed = sent by e-mail
scan-mail-not-set-up = E-mail is not set up on this Koers: copy the links and pass them on yourself.
scan-open-link-title = Open link
scan-open-link-intro = With the open link anyone who has it can answer and choose a perspective. Useful for a newsletter or intranet; revoke it when it is no longer needed.
scan-open-link-url = Open link
scan-open-link-exists = There is an open link. Koers does not keep it; make a new one if you lost it (the old one then stops working).
scan-open-link-make = Make an open link
scan-open-link-renew = Make a new open link
scan-open-link-revoke = Revoke the open link
scan-pending-title = Not answered yet
scan-pending-none = Everyone who got a personal link has answered (or there are no invitations yet).
scan-pending-intro = Only those who have not answered yet are listed; answers are never shown here.
scan-invitee = Invitee
scan-invited-on = Invited on
scan-reminded-on = Reminded on
scan-remind-hint = Everyone above gets a new link (by e-mail where possible); the previous link then stops working, saved answers are kept.
scan-remind-button = Send reminders
scan-mail-invite-subject = Invitation: { $wave }
scan-mail-invite-body = { $org } asks you to take part in "{ $wave }".
    With this personal link you fill in the questionnaire; you can save and continue later:
    { $link }
scan-mail-remind-subject = Reminder: { $wave }
scan-mail-remind-body = You have not yet taken part in "{ $wave }" of { $org }. Here is your new personal link (the previous one no longer works; what you saved is still there):
    { $link }
scan-card-latest = Latest wave: { $title } ({ $status })
scan-card-none = No wave has been started yet.
scan-card-manage = Manage the wave
scan-form-title = Questionnaire
scan-step-of = Step { $step } of { $steps }
scan-intro-anonymous = This questionnaire is anonymous. What is stored: your answers and the perspective you answer for; not who you are, not when you answered, and your answers cannot be linked to your link. Of your link we only keep that you answered (the day, not the time). Results are shown only for groups that are large enough.
scan-intro-named = This questionnaire is not anonymous: your answers are stored with your invitation. Results are shown only per group that is large enough.
scan-intro-key-informant = You answer this questionnaire on behalf of the organisation. The answers count as facts about the organisation and are not anonymous.
scan-required = required
scan-hint-checklist = Tick what applies; ticking nothing is an answer too.
scan-hint-gated = Tick the criteria that are already met.
scan-grid-area = Area
scan-grid-planned = Planned
scan-grid-implemented = Implemented
scan-adoption-0 = 0 not used
scan-adoption-1 = 1 exploring
scan-adoption-2 = 2 planning
scan-adoption-3 = 3 pilot
scan-adoption-4 = 4 partly in use
scan-adoption-5 = 5 fully in use
scan-tri-nee = No
scan-tri-deels = Partially
scan-tri-ja = Yes
scan-level = Level
scan-next = Next
scan-previous-step = Previous
scan-send = Send
scan-save-later = Save and continue later
scan-saved-title = Saved
scan-saved = Your answers are saved. With the link below you continue later where you were; keep it safe, as anyone with this link can see and add to your answers.
scan-resume-link = Link to continue later
scan-resume-now = Continue now
scan-thanks-title = Thank you
scan-thanks = Your answers have been sent. Thank you for taking part!
scan-gone-unknown-title = This link does not work
scan-gone-unknown = This link does not exist (any more). Perhaps a newer link was sent, or the link was revoked. Ask for a new link if needed.
scan-gone-not-open-title = Not open yet
scan-gone-not-open = This questionnaire is not open yet. Try again later with the same link.
scan-gone-closed-title = Closed
scan-gone-closed = This questionnaire is closed; no more answers can be added.
scan-choose-title = Questionnaire
scan-choose-perspective = Which group do you answer for?
scan-start = Start
scan-error-choose-perspective = Choose the group you answer for.
scan-error-required-on-step = Step { $step }: "{ $question }" has not been answered yet.
scan-error-unknown-question = This answer belongs to a question this questionnaire does not have.
scan-error-unknown-option = This answer is not a choice of this question.
scan-error-unknown-row = This answer belongs to a row this question does not have.
scan-error-invalid-value = This answer is not valid.
scan-error-duplicate = This question got more than one answer.
scan-error-required = Answer this question.
scan-too-fast-title = One moment
scan-too-fast = Many questionnaires were just started from your network. Try again in a minute.
scan-import-title = Import responses
scan-import-back = Back to the wave
scan-import-intro = Import responses collected with another tool (LimeSurvey, Microsoft Forms, Qualtrics or a spreadsheet of your own).
scan-import-formats = A CSV file (separator ; , or tab; UTF-8 or Windows-1252) or an Excel file (.xlsx, the first sheet). The first line holds the column names; every further line is one respondent.
scan-import-perspectives = One column gives each respondent's perspective, with as value one of:
scan-import-all-or-nothing = Nothing is stored until the whole file is right; otherwise you see every wrong line with the reason.
scan-import-file = File
scan-import-file-hint = CSV or XLSX, at most 10 MB.
scan-import-upload = Read the file
scan-import-read = { $n ->
    [one] 1 line read from
   *[other] { $n } lines read from
}
scan-import-mapping = Match the columns
scan-import-mapping-intro = For each column choose the question (or part of a question) it belongs to, and which column gives the perspective. Columns already named like a question are chosen for you.
scan-import-ignore = (do not import)
scan-import-perspective-column = Perspective
scan-import-column-n = Column { $n }
scan-import-sample = Example:
scan-import-do = Import
scan-import-other-file = Choose another file
scan-import-bad-rows = Lines with errors
scan-import-line = Line
scan-import-reason = Reason
scan-import-stored = { $n ->
    [one] 1 response was imported.
   *[other] { $n } responses were imported.
}
scan-import-error-empty = The file holds no lines with answers.
scan-import-error-unreadable = The file is not a readable CSV or XLSX file.
scan-import-error-too-large = The file is too large (at most 10 MB, 20,000 lines and 1,000 columns).
scan-import-error-no-file = Choose a file.
scan-import-error-expired = The file read earlier is no longer kept (after an hour, or a restart). Choose the file again.
scan-import-error-perspective-column = Match exactly one column to the perspective.
scan-import-error-twice = Two columns are matched to { $field }.
scan-import-error-rows = { $n ->
    [one] 1 line is wrong; nothing was stored.
   *[other] { $n } lines are wrong; nothing was stored.
}
scan-import-error-perspective = perspective "{ $value }" does not exist in this wave
