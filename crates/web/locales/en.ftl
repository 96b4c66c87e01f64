## Koers — English

# General
skip-to-content = Skip to content
nav-label = Main menu
nav-home = Home
nav-admin = Platform admin
nav-account = My account
login = Log in
logout = Log out
save = Save
cancel = Cancel
actions = Actions
you = you
back-to-org = Back to the organisation
footer-tagline = Measure, make sense together, set the course, keep to it.
footer-a11y = Accessibility
footer-licence = Open source under EUPL-1.2

# Notices after an action
notice-saved = Saved.
notice-language-saved = Your language has been saved.
notice-org-created = The organisation has been created.
notice-user-created = The account has been created.
notice-invitation-revoked = The invitation has been revoked.
notice-role-changed = The role has been changed.
notice-member-removed = The member has been removed from the organisation.
notice-password-changed = Your password has been changed. Other devices have been logged out.
notice-joined = Welcome! You are now a member of this organisation.
notice-logged-out = You have logged out.

# Home
home-title = Home
home-title-anon = Koers: from experiment to lasting change
home-intro = Koers helps public organisations shape digital transformation together: a scan from every perspective, sessions with the whole system in the room, an innovation agenda, and signals from residents.
home-welcome = Welcome to Koers
home-loop = Measure, make sense together, set the course, keep to it — and round again.
home-my-orgs = My organisations
home-no-orgs = You are not a member of any organisation yet. Ask an administrator for an invitation.
home-your-role = your role
loop-meten = Measure
loop-meten-text = an honest picture of where the organisation stands, from every perspective.
loop-duiden = Make sense together
loop-duiden-text = the whole system in the room, looking for what connects.
loop-bepalen = Set the course
loop-bepalen-text = an innovation agenda that colleagues can carry.
loop-bewaken = Keep to it
loop-bewaken-text = a short loop from residents' signals to improvement.

# Login
login-title = Log in
login-help = Forgot your password? Ask your organisation's administrator for a reset link. With it you choose a new password yourself.
field-email = Email address
field-password = Password
field-name = Name
field-new-password = New password
field-password-hint = At least 10 characters. A sentence of a few words is strong and easy to remember.
field-password-again = Repeat the password
field-current-password = Current password
field-role = Role
field-org-name = Organisation name

# First run
setup-title = Set up Koers
setup-intro = There is no administrator yet. Create the first administrator account. The setup code is in the server log.
setup-submit = Create administrator
field-setup-code = Setup code
field-setup-code-hint = The code Koers wrote to the server log when it started.

# Account
account-title = My account
account-logged-in-as = You are logged in as
account-password = Change password
account-password-submit = Change password
account-language = Language
account-language-text = This browser remembers your choice of language. Switch to:
account-language-saved-text = Which language should Koers use for your account, also on other devices?
account-language-field = Language of your account
account-language-submit = Save language

# Organisations
org-loop-title = This organisation's loop
org-title = Organisation
org-edit-title = Organisation details
org-kind = Kind of organisation
org-size = Size
org-country = Country
org-your-role = Your role
org-edit-link = Edit details
org-members = Members
org-new-role-for = New role for
org-change-role = Change role
org-remove-member = Remove
org-invite = Invite someone
org-invite-text = Create an invitation link and send it yourself to the person you invite. The link works once.
org-invite-submit = Create invitation link
org-invitations = Invitations
org-no-invitations = No invitations yet.
org-audit = Activity log
org-no-audit = No actions recorded yet.
field-invite-note = Note (optional)
field-invite-note-hint = For example whom the invitation is for. Only administrators see this.

org-kind-gemeente = Municipality
org-kind-provincie = Province
org-kind-waterschap = Water board
org-kind-ministerie = Ministry
org-kind-uitvoeringsorganisatie = Executive agency
org-kind-zorginstelling = Care institution
org-kind-overig = Other
org-size-xs = up to 50 employees
org-size-s = 51 to 250 employees
org-size-m = 251 to 1,000 employees
org-size-l = 1,001 to 5,000 employees
org-size-xl = more than 5,000 employees
country-nl = The Netherlands
country-be = Belgium
role-beheerder = Administrator (beheerder)
role-facilitator = Facilitator
role-lid = Member
role-platform-admin = Platform administrator

# Invitations
invitation-title = Invitation
invitation-created-title = Invitation link created
invitation-created-text = Copy this link and send it to the person you are inviting.
invitation-link = Invitation link
invitation-once = This link is shown only once and works only once.
invitation-created = Created
invitation-expires = Valid until
invitation-status = Status
invitation-status-open = Open
invitation-status-accepted = Used
invitation-status-revoked = Revoked
invitation-status-expired = Expired
invitation-revoke = Revoke
invitation-for = You have been invited to
invitation-accept = Accept invitation
invitation-have-account = Already have an account?
invitation-new-account = Create a new account
invitation-create-and-join = Create account and join
invitation-invalid-title = Invitation not valid
invitation-invalid = This invitation does not exist, has expired, was revoked or has already been used. Ask the administrator for a new link.

# Platform admin
admin-title = Platform admin
admin-orgs = Organisations
admin-new-org = New organisation
admin-create-org = Create organisation
admin-users = Accounts
admin-new-user = New account
admin-create-user = Create account
admin-user-org = Member of organisation
admin-user-no-org = (no organisation)
admin-status = Status
admin-locked = Temporarily locked
admin-reset-password = Set a new password
admin-reset-submit = Set

# Activity log
audit-setup-admin-created = First administrator created
audit-org-created = Organisation created
audit-org-updated = Details changed
audit-invitation-created = Invitation created
audit-invitation-revoked = Invitation revoked
audit-invitation-accepted = Invitation accepted
audit-member-role-changed = Role changed
audit-member-removed = Member removed
audit-member-added = Member added
audit-user-created = Account created
audit-user-password-reset = Password reset
audit-a11y-updated = Accessibility statement updated

# Accessibility
a11y-title = Accessibility statement
a11y-edit-title = Fill in the accessibility statement
a11y-intro = We want everyone to be able to use Koers. Below is how accessible this website is.
a11y-not-filled = The organisation that runs this Koers has not filled in the accessibility statement yet.
a11y-organisation = Organisation
a11y-status = Status
a11y-date = Date of the statement
a11y-date-hint = As YYYY-MM-DD, for example 2026-11-01.
a11y-contact = Accessibility contact
a11y-limitations = Known limitations
a11y-limitations-hint = One limitation per line.
a11y-no-limitations = There are no known limitations.
a11y-what-we-do = What Koers itself does
a11y-what-we-do-text = Koers is built to WCAG 2.2 level AA: everything works with the keyboard and without JavaScript, every chart has a table, and every page is tested automatically with axe-core, in both languages and on a phone screen.
a11y-status-full = A: fully compliant
a11y-status-partial = B: partially compliant
a11y-status-first-steps = C: first measures taken
a11y-status-none = D: not compliant
a11y-status-not-assessed = E: not yet assessed

# Form errors
error-summary-title = There is a problem
error-email = Enter a valid email address, like name@example.org.
error-email-empty = Enter your email address.
error-email-taken = An account with this email address already exists.
error-name-empty = Enter a name.
error-name-long = The name can be at most 80 characters.
error-password-short = The password must be at least 10 characters.
error-password-long = The password is too long.
error-password-mismatch = The two passwords are not the same.
error-password-repeated = The password repeats the same character or piece. Choose something harder to guess, such as a few unrelated words.
error-password-sequence = The password is a sequence such as abcdef, 123456 or qwerty. Choose something harder to guess, such as a few unrelated words.
error-password-email = The password contains your e-mail address or the name in it. Choose something harder to guess.
error-password-common = This password is used a lot and so is quickly guessed. Choose something else, such as a few unrelated words.
error-current-password = Your current password is not correct.
error-login-failed = The email address or password is not correct. After a few failed attempts in a row, wait a quarter of an hour before trying again.
error-login-rate = Too many login attempts from this address. Wait a few minutes and try again.
error-setup-code = The setup code is not correct. You will find it in the server log.
error-org-kind = Choose the kind of organisation.
error-org-size = Choose the size.
error-org-country = Choose the Netherlands or Belgium.
error-org-name-short = Enter the organisation's name (at least 2 characters).
error-org-name-long = The name can be at most 120 characters.
error-org-name-taken = An organisation with this name already exists.
error-organisation = Choose an existing organisation.
error-role = Choose a role.
error-note-long = The note can be at most 200 characters.
error-last-beheerder = An organisation needs at least one administrator. Make someone else administrator first.
error-a11y-organisation = Enter the organisation's name (at most 200 characters).
error-a11y-status = Choose a status.
error-a11y-date = Enter a real date as YYYY-MM-DD.
error-a11y-limitations = The limitations can be at most 5,000 characters in all.

# Error pages
error-code = Error code
error-home-link = Go to the home page
error-404-title = Page not found
error-404 = This page does not exist, or you do not have access to it. Check the address.
error-403-title = No access
error-403 = You do not have access to this action. Did you come here from a form? Reload the page and try again.
error-413-title = Too much data
error-413 = What you sent is too large. Make it smaller and try again; nothing was saved.
error-400-title = Bad request
error-400 = The request could not be read. Nothing was saved.
error-429-title = Too many requests
error-429 = You made too many requests in a row. Wait a moment and try again.
error-storage-full-title = Storage is full
error-storage-full = The server's disk is full. Nothing was stored. Try again in a few minutes, and tell the administrator if it stays this way.
error-busy-title = Very busy right now
error-busy = A great many people are taking part at once. Nothing was lost; the page will try again by itself in a moment.
error-busy-retry = Try again now
error-busy-auto = It will be tried again by itself in a few seconds.
error-503-title = Temporarily unavailable
error-503 = Koers cannot reach its database right now. Try again in a few minutes.
error-500-title = Something went wrong
error-500 = Something went wrong on our side. Nothing was half-saved. Try again; if it keeps happening, contact the administrator.


# --- share (issue 9) ---
link-status-open = Works
link-status-used = Used
link-status-revoked = Revoked
link-status-expired = Expired
copy-link = Copy link
copy-done = The link has been copied.
reset-created-title = Reset link made
reset-created-text = Give this link to the member, for example in a personal message. With it, the member chooses a new password. The old password keeps working until then.
reset-link = Reset link
reset-for = For
reset-once = You see this link only once. It works once, for one day. After the reset the member is logged out everywhere.
reset-title = Choose a new password
reset-intro = Choose a new password for your account. Then log in with the new password. You will be logged out on all your devices.
reset-account = Account
reset-submit = Save password
reset-invalid-title = This link no longer works
reset-invalid = This reset link has been used or has expired. Ask your organisation's administrator for a new one.
org-reset-password = Reset password
error-reset-platform-admin = This is a platform administrator's account. Another platform administrator can reset its password.
error-reset-other-organisation = This account also belongs to another organisation. Ask the platform administrator to reset the password.
notice-password-reset = Your new password has been saved. Log in with your new password.
audit-member-password-reset-created = Password reset link made
audit-account-password-reset = Password reset with a reset link
field-invite-email = E-mail address (optional)
field-invite-email-hint = If you fill in an address, only someone with that e-mail address can accept the invitation.
invitation-email = E-mail address
invitation-email-anyone = Anyone with the link
invitation-tied-to = This invitation is only for
error-invitation-email = This invitation is for another e-mail address. Use the address you were invited with.
error-invitation-other-account = This invitation is for another e-mail address than your account's. Log out and accept it with the right account, or ask the administrator for a new invitation.
error-share-days = Choose how long the link works.
# --- mail ---
mail-failed = The e-mail could not be sent; copy the link and pass it on yourself.
mail-sent-to = Sent by e-mail to { $email }.
invitation-mailed-text = The invitation has been sent by e-mail. The link is only in that e-mail.
reset-mailed-text = The reset link has been sent to the member by e-mail. With it, the member chooses a new password. The old password keeps working until then.
mail-invitation-subject = Invitation to { $org } in Koers
mail-invitation-body =
    { $inviter } invites you to { $org } in Koers, with the role { $role }.

    Accept the invitation through this link (valid until { $expires }):
    { $link }

    The link works once. If you did not expect this invitation, you can ignore this message.
mail-reset-subject = Choose a new password for Koers
mail-reset-body =
    { $by } made a link with which you choose a new password for your Koers account { $email } at { $org }.

    Choose your new password through this link (valid until { $expires }):
    { $link }

    The link works once. Your old password keeps working until you choose a new one; after that you are logged out on all your devices. If you did not ask for this, contact { $by }.
