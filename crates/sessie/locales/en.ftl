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
phase-action-reopen = Open again
audit-session-created = Session created
audit-session-phase = Phase changed

# Projector and results
projector-title = Projector
projector-join-at = Join at
projector-bridging = What connects us
projector-bridging-none = No statements yet that every group and every perspective agrees with.
projector-bridging-means = In every group and every perspective, a majority agrees with these.
share-agree = { $pct }% agree, of { $n ->
    [one] 1 vote
   *[other] { $n } votes
}
share-disagree = { $pct }% disagree, of { $n ->
    [one] 1 vote
   *[other] { $n } votes
}
projector-map = Opinion map
projector-map-empty = The map appears once enough people have voted.
projector-map-desc = Participants who vote alike are close together; those who voted exactly the same share one dot. The colour is the opinion group. The table of opinion groups gives the same information.
projector-groups = Opinion groups
projector-groups-none = No opinion groups yet: more votes are needed.
projector-groups-table = Opinion groups with their size and typical statements
projector-members = Members
projector-typical = Typical
projector-consensus = Widely shared
projector-consensus-none = No statements with broad agreement yet.
projector-divisive = Where we differ
projector-divisive-none = No statements yet on which the groups clearly differ.
projector-divisive-means = One group mostly agrees, another mostly disagrees. Passing does not count as disagreeing.
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

# --- lead: honest numbers (issue 9) ---
results-votes = Votes
results-order = Ordered by dots, then by the share that agrees. A statement with fewer than { $n } votes comes after those with more: with so few votes its percentage means little. The agree percentage counts all votes, passes included.
projector-participants-label = Participants
projector-votes-label = Votes

# --- room (issue 9) ---
room-title = Room screen
room-waiting = We will start in a moment
room-welcome = Take your phone and join in. You take part anonymously: nobody sees what you enter.
room-view-by-hand = chosen by the facilitator
room-join-title = Join in
room-join-closed = Joining is closed
room-qr-alt = QR code to { $url }
room-statements-unit = { $n ->
    [one] statement sent in
   *[other] statements sent in
}
room-participants-unit = { $n ->
    [one] participant
   *[other] participants
}
room-votes-unit = { $n ->
    [one] vote
   *[other] votes
}
room-dots-unit = { $n ->
    [one] dot placed
   *[other] dots placed
}
room-wall-title = Latest statements
room-wall-empty = No statements yet. Send in the first one!
room-groups-table = Opinion groups on the map and their number of participants
room-dots-title = Dots so far
room-top-title = Our priorities
room-hidden-note = The results will come later. For now we only count.
room-missing-title = This screen link does not work
room-missing = The facilitator may have made a new link or revoked this one. Ask the facilitator for the new link.
room-console-title = Room screen
room-console-intro = Put the session on the projector without logging in on the room's computer. The screen shows only what is meant for the room: no names and no statements that are waiting or were rejected.
room-link-none = There is no screen link yet.
room-link-exists = There is a screen link since
room-link-make = Make a screen link
room-link-renew = Make a new screen link (the old one stops working)
room-link-revoke = Revoke the screen link
room-link-title = Your screen link
room-link-intro = With this link the room's computer opens the screen of the session
room-link-label = Screen link
room-link-once = You see this link only once. Copy it now. Lost it? Then make a new one.
room-link-copy = Copy link
room-link-copied = The link was copied.
room-back-to-console = Back to the session
room-howto-title = How to put the screen on the projector
room-howto-1 = Copy the link above and send it to the room's computer (for example by mail or chat).
room-howto-2 = Open the link on that computer in a browser. No login is needed.
room-howto-3 = Make the browser full screen (usually with the F11 key).
room-howto-4 = The screen follows the phase that is open. In the session you can pick another view, hide results or start a countdown.
room-view-legend = What does the screen show?
room-view-follow = Follow the open phase
room-view-save = Choose view
room-results-title = Results on the screen
room-results-hidden = Hidden: the room now sees the counts only.
room-results-shown = Visible to the room.
room-reveal = Show the results
room-hide = Hide the results
countdown-title = Countdown
countdown-label = Time left
countdown-done = Time is up.
countdown-stop = Stop the countdown
countdown-start = Start the countdown
countdown-minutes = Number of minutes
countdown-minutes-hint = A whole number from 1 to { $max }. The countdown belongs to the phase that is open now.
countdown-preset = { $n ->
    [one] 1 minute
   *[other] { $n } minutes
}
countdown-needs-phase = Open a phase first. Then you can start a countdown.
error-countdown-minutes = Enter a whole number of minutes, from 1 to 60.
error-countdown-no-phase = No phase is open. Open a phase first, then start the countdown.
error-room-view = Choose one of the views.
map-caption = Those who vote about the same are close together; those who voted exactly the same share one dot. { $shown ->
    [one] 1 participant is
   *[other] { $shown } participants are
} on { $dots ->
    [one] 1 dot
   *[other] { $dots } dots
}, of { $total ->
    [one] 1 participant
   *[other] { $total } participants
}: those who voted on only a few statements do not count yet, and we do not show groups of fewer than { $min } people.

# --- console (issue 9) ---
statement-status-merged = merged with a statement that says the same
console-refresh = Refresh
console-participants = { $n ->
    [one] 1 participant
   *[other] { $n } participants
}
console-votes = { $n ->
    [one] 1 vote
   *[other] { $n } votes
}
console-queue-summary = { $n ->
    [0] No statements are waiting for you.
    [one] 1 statement is waiting for you.
   *[other] { $n } statements are waiting for you.
}
console-new-statement = A new statement came in.
console-participation = Participants per perspective
console-participation-none = Nobody has joined yet.
console-perspective = Perspective
console-perspective-count = Participants
console-accepted-count = Visible statements
session-facilitator-tag = by the facilitator
statement-edited-tag = edited
console-merged = Merged
console-merged-into = Merged with:
console-ballot = List for prioritising
console-ballot-intro = Participants get these statements when prioritising. Koers puts the list together from what connects the groups. You can add or remove statements until you open prioritising. Then the list is fixed.
console-ballot-frozen = The list is fixed since prioritising opened, so participants' dots always point at the same list.
console-ballot-empty = There are no statements on the list yet.
console-ballot-remove = Take off the list
console-ballot-others = Put other statements on the list
console-ballot-add = Put on the list
console-ballot-later = The list for prioritising appears here once voting has started.
session-log-link = Log of this session
join-close-title = Close joining?
join-close-explain = Once you close joining, nobody new can join with the code. Whoever has joined can carry on. You can open joining again later.
join-close-already = { $n ->
    [0] Nobody has joined yet.
    [one] 1 participant has joined.
   *[other] { $n } participants have joined.
}
join-close-yes = Yes, close joining
join-close-no = No, go back
statement-edit-link = Edit
statement-edit-title = Edit statement
statement-edit-fix = Fix the text
statement-edit-original = The author's text:
statement-edit-votes-stay = Use this for a typo. The votes already cast stay, so do not change what the statement says.
statement-edit-votes = { $n ->
    [0] Nobody has voted on it yet.
    [one] It has 1 vote.
   *[other] It has { $n } votes.
}
statement-edit-text = Statement
statement-edit-hint = Participants and the room screen show the new text. The author's text is kept in the log.
statement-edit-save = Save
statement-merge-title = Merge with a statement that says the same
statement-merge-explain = This statement then disappears for participants and from the room screen. Whoever voted only on this statement counts on the statement that stays. Whoever voted on both keeps their vote on the statement that stays. Dots go the same way.
statement-merge-none = There is no other visible statement to merge with.
statement-merge-into = This statement says the same as
statement-merge-choose = Choose a statement
statement-merge-submit = Merge
statement-edit-back = Back to the session
session-log-title = Log
session-log-intro = What the facilitators did in this session, oldest first.
session-log-empty = Nothing has been recorded yet.
session-log-someone = A facilitator
session-log-text = Statement
session-log-text-before = Text before
session-log-text-after = New text
session-log-text-duplicate = Duplicate statement
session-log-text-kept = Stays
session-log-created = { $who } created the session.
session-log-phase-open = { $who } opened the phase { $phase }.
session-log-phase-pause = { $who } paused the phase { $phase }.
session-log-phase-close = { $who } closed the phase { $phase }.
session-log-phase-reopen = { $who } opened the phase { $phase } again.
session-log-join-closed = { $who } closed joining.
session-log-join-opened = { $who } opened joining for two weeks.
session-log-seed-added = { $who } added a seed statement.
session-log-statement-added = { $who } added a statement.
session-log-accepted = { $who } accepted a statement.
session-log-rejected = { $who } took a statement out.
session-log-edited = { $who } edited a statement.
session-log-merged = { $who } merged a duplicate statement.
session-log-ballot-added = { $who } put a statement on the list for prioritising.
session-log-ballot-removed = { $who } took a statement off the list for prioritising.
session-log-ballot-frozen = { $n ->
    [one] The list for prioritising is fixed, with 1 statement.
   *[other] The list for prioritising is fixed, with { $n } statements.
}
error-merge-same = A statement cannot be merged with itself.
error-merge-other-session = That statement is not part of this session.
error-merge-already-merged = This statement was merged already.
error-merge-target-merged = The statement you chose was merged itself. Choose the statement that stayed.
error-merge-target-not-accepted = Choose a statement that participants see.
error-merge-chain = Other statements were merged with this one. Merge those with the statement you chose instead.
error-merge-choose = Choose the statement that says the same.
error-ballot-frozen = The list for prioritising is fixed already, because prioritising has opened.
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
# --- share (issue 9) ---
share-heading = Share the results
share-intro = Make a link that lets participants and others see the results without an account. They see only the outcome, with the same rule for small groups as here. They see no names, no rejected statements and no individual votes.
share-valid-for = How long does the link work?
share-days = { $n ->
    [one] 1 day
   *[other] { $n } days
}
share-create = Make a link
share-none = You have not made a link yet.
share-links = Links to the results
share-created = Made
share-expires = Works until
share-status = Status
share-revoke = Revoke
share-created-title = Link to the results
share-created-text = Copy this link and send it round. Anyone with the link can see the results, without an account.
share-link = Link to the results
share-once = You see this link only once. Lost it? Make a new one and revoke the old one.
session = Session
shared-results-note = You are viewing the results through a shared link. You cannot change anything here.
share-gone-title = This link no longer works
share-revoked = The organiser has revoked this link. Ask for a new link if you want to see the results.
share-expired = This link has expired. Ask for a new link if you want to see the results.
audit-session-share-created = Link to the results made
audit-session-share-revoked = Link to the results revoked
notice-share-revoked = The link has been revoked. It no longer works.
error-dots-not-on-ballot = You can only put dots on the statements in the list. Nothing was saved.
audit-session-room-link = Room screen link made
audit-session-room-link-revoked = Room screen link revoked
