## Sessie — English

# Sessions (facilitator)
nav-sessions = Sessions
org-sessions-link = This organisation's sessions
sessions-title = Sessions
sessions-intro = live sessions with the whole system in the room.
sessions-none = No sessions yet.
session-new-title = New session
session-new-intro = A session is about one concrete case. Participants take part on their phones, without an account.
session-title-field = Case
session-title-hint = For example: One front door for debt support in 2027.
session-description = Description (optional)
session-description-hint = What is the case and why now? Participants see this when they join.
session-perspectives = Perspectives in the room
session-perspectives-hint = One per line. Participants choose one when they join.
session-seeds = Seed statements (optional)
session-seeds-hint = One statement per line, to get the conversation going.
session-moderation = Moderation
moderation-post = Afterwards: statements appear at once; you can remove them later.
moderation-pre = Beforehand: statements appear only after you accept them.
session-max-chars = Maximum characters per statement
session-dots = Dots per participant
session-dots-hint = How many dots each participant may spread when prioritising.
session-create = Create session
session-console-title = Run the session
session-read-only = Read-only (imported)
session-code = Code
session-phase = Phase
session-join-heading = Joining
session-join-code = Participants go to the website and type this code:
session-join-url = Or directly:
session-join-open-until = The code works until
session-join-closed = Joining is closed; the code no longer works for new participants.
session-join-close = Close joining
session-join-extend = Keep joining open for two more weeks
session-join-reopen = Open joining again (for two weeks)
session-qr-alt = QR code for
session-phases = Phases
session-participants = participants
session-votes = votes
session-moderation-queue = To review
session-queue-empty = No statements are waiting for review.
session-profanity-hint = Note: possibly offensive language
moderation-accept = Accept
moderation-reject = Reject
moderation-remove = Remove
moderation-restore = Restore
session-statements = Statements
session-add-seed = Add a statement
session-add-seed-submit = Add
session-seed-tag = seed statement
session-rejected = Rejected or removed
session-next-steps = Agreements and next steps
session-no-steps = No agreements recorded yet.
session-step = Agreement or next step
session-step-owner = Who takes it on? (optional)
session-step-add = Add agreement
delete = Delete
statement = Statement
phase-inbreng = Input
phase-stemmen = Voting
phase-prioriteren = Prioritising
phase-afronden = Wrap-up
phase-none-open = No phase open
session-finished = Finished
phase-state-not-started = Not started
phase-state-open = Open
phase-state-paused = Paused
phase-state-closed = Closed
phase-action-open = Open
phase-action-pause = Pause
phase-action-close = Close
phase-action-reopen = Reopen
audit-session-created = Session created
audit-session-phase = Phase changed

# Projector and results
projector-title = Projector
projector-join-at = Join at
projector-bridging = What connects us
projector-bridging-none = No statements yet that every group and every perspective agrees with.
projector-at-least = at least
projector-agree-everywhere = agree, in every group and every perspective
projector-map = Opinion map
projector-map-empty = The map appears once enough people have voted.
projector-map-desc = Each dot is a participant; participants who vote alike are close together. The colour is the opinion group. The table of opinion groups gives the same information.
projector-groups = Opinion groups
projector-groups-none = No opinion groups yet: more votes are needed.
projector-groups-table = Opinion groups with their size and typical statements
projector-members = Members
projector-typical = Typical
projector-consensus = Widely shared
projector-consensus-none = No statements with broad agreement yet.
projector-divisive = Where we differ
projector-divisive-none = No statements yet on which the groups clearly differ.
projector-points-apart = percentage points between groups
projector-perspectives = By perspective
projector-participation = Participation by perspective
anonymity-min-group-size = Figures per group appear from { $n } participants.
perspective = Perspective
group = Group
direction-agree = agree
direction-disagree = disagree
refresh = Refresh
results-title = Results
results-dots = Dots
results-export = Export
results-polis = Pol.is format (zip)
results-polis-note = The Pol.is format is for Pol.is tools: the texts are in it exactly as they were entered. Do not open it in a spreadsheet; use CSV, ODS or XLSX for that.

# Participants
join-title = Join
join-intro = Enter the code the facilitator shows.
join-code-hint = Six characters, for example K7M-Q2P.
join-continue = Continue
join-anonymous = You take part anonymously: we do not ask for your name.
join-perspective = Which perspective do you take part from?
join-submit = Join
join-unknown-title = Session not found
join-unknown = There is no session with this code. Check the code with the facilitator.
join-expired-title = Code expired
join-expired = Joining this session is closed. Ask the facilitator for a new code.
join-read-only-title = Read-only
join-read-only = This is a finished or imported session; joining is no longer possible.
participant-title = Session
participant-waiting-title = Please wait
participant-waiting = The facilitator will start the next step shortly. This page refreshes by itself.
participant-inbreng-intro = Which obstacle do you see, or what idea do you have? One short statement at a time.
participant-statement = Your statement
participant-max-chars = Maximum characters:
participant-send = Send
participant-own = Your statements
statement-status-pending = waiting for the facilitator
statement-status-accepted = visible to everyone
statement-status-rejected = not accepted
participant-progress = Voted
participant-all-voted = You have voted on every statement. New statements appear here by themselves.
vote-busy-title = Your vote will be sent in a moment
vote-busy = It is very busy: your vote has not been stored yet. It will be sent again by itself in a few seconds.
vote-busy-choice = Your choice:
vote-busy-resend = Send the vote again now
vote-agree = Agree
vote-disagree = Disagree
vote-pass = Unsure / skip
participant-dots-intro = Spread your dots over the statements you find most important. Number of dots:
participant-dots-save = Save dots
participant-shortlist-empty = No statements are ready for prioritising yet.
participant-no-dots = No dots have been spread yet.
my-votes-title = My votes
my-votes-none = You have not voted yet.
my-votes-current = Your vote
my-votes-back = Back to the session
participant-unknown-title = Participation not recognised
participant-unknown = We do not recognise your participation (any more). Go to the session again with the code; nothing was saved.
phase-closed-title = This phase is closed
phase-closed = The facilitator has closed or paused this phase. Nothing was saved. Go back to the session to see what is open now.
statements-too-fast-title = Slow down a little
statements-too-fast = You have sent many statements in the last minute. This one was not saved. Wait a minute, then send it again.
statement-unknown-title = Statement not found
statement-unknown = This statement does not belong to this session or was removed. Nothing was saved.
notice-statement-received = Thank you! Your statement has been received.
notice-dots-saved = Your dots have been saved.
error-409-title = Not possible
error-409 = This is not possible right now. Nothing was saved.
error-410-title = No longer available
error-410 = This is no longer available.

# Session form errors
error-join-code = Enter a code of six characters, like K7M-Q2P.
error-join-code-unknown = There is no session with this code. Check the code again.
error-join-code-empty = Enter the code you see on the screen, like K7M-Q2P.
error-join-code-confusable = A code never contains O, 0, I, 1 or L. Look again at the code on the screen.
error-join-code-char = A code contains only letters and digits, like K7M-Q2P.
error-join-code-short = This code is too short. A code has six characters, like K7M-Q2P.
error-join-code-long = This code is too long. A code has six characters, like K7M-Q2P.
error-join-perspective = Choose a perspective.
error-join-name = The name can be at most 40 characters.
error-moderation = Choose a way of moderating.
error-perspective = A perspective is 1 to 40 characters long.
error-perspectives-count = Give 1 to 20 perspectives, one per line.
error-statement-empty = Write a statement.
error-statement-long = The statement is too long.
error-statement-long-count = Your statement is too long: it has { $length } characters, the maximum is { $max }. Your text is still in the field.
error-session-title = The case is 3 to 120 characters long.
error-session-description = The description can be at most 2,000 characters.
error-max-chars = Choose a number between 20 and 1,000.
error-dots = Choose a number between 1 and 20.
error-seed-long = One of the seed statements is too long.
error-seed-count = Give at most 200 seed statements.
error-step-empty = Describe the agreement.
error-step-long = The agreement can be at most 300 characters.
error-step-owner-long = The owner can be at most 100 characters.
error-dots-number = Enter a whole number for each statement.
error-dots-budget = You spread more dots than you have. Spread fewer.

# Live sessions: e2e accessibility fixes
session-phase-state-actions = Status and actions
participant-dots-legend = Dots per statement
results-dots-unit = dots

# Card on the organisation's page
card-sessie-title = Sessions
card-sessie-open = Open now: { $title } ({ $phase })
card-sessie-none-open = No session is open now.
card-sessie-last = Last finished: { $title }, { $date }
card-sessie-none-finished = No finished session yet.
card-sessie-to-console = To the session “{ $title }”
card-sessie-to-results = Results of “{ $title }”
card-sessie-all = All sessions

# --- participant (issue 9) ---
home-join-title = Join with a code
home-join-text = Do you see a code on the screen in the room? Enter it here. You do not need an account.
join-code-line = Session with code
join-too-fast-title = Please wait
join-too-fast = A lot of people are joining at the same moment. Nothing was saved. Wait a minute and try again.
participant-back-session = Back to the session
participant-back-join = To the session
participant-back-code = Enter a code
statement-late-title = Input has closed
statement-late = Your statement was not sent: the facilitator has closed the input. Your text is below, so you can keep it.
statement-late-text = Your text (not sent)
draft-kept-closed = You were typing a statement when the input closed. It was not sent. Your text is below, so you can keep it.
draft-kept-label = Your text (not sent)
draft-discard = Throw the text away
draft-restored = We put back the text you had not sent yet.
participant-chars-left = { $n ->
    [one] 1 character left
   *[other] { $n } characters left
}
participant-chars-over = { $n ->
    [one] 1 character too many
   *[other] { $n } characters too many
}
participant-dots-left = { $n ->
    [0] You have no dots left.
    [one] You have 1 dot left.
   *[other] You have { $n } dots left.
}
participant-dots-count = { $n ->
    [one] 1 dot
   *[other] { $n } dots
}
participant-dot-more = One more dot
participant-dot-less = One dot less
error-dots-none-left = You have no dots left. Take a dot away somewhere first.
error-dots-none-to-take = This statement has no dots to take away.
participant-you-are-here = You are in { $group }: { $n } participants vote roughly as you do.
my-votes-closed = Voting is closed now. Here you see how you voted.
