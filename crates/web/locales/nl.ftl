## Koers — Nederlands (standaardtaal)

# Algemeen
skip-to-content = Direct naar de inhoud
nav-label = Hoofdmenu
nav-home = Start
nav-admin = Platformbeheer
nav-account = Mijn account
login = Inloggen
logout = Uitloggen
save = Opslaan
cancel = Annuleren
actions = Acties
you = jij
back-to-org = Terug naar de organisatie
footer-tagline = Meten, samen duiden, koers bepalen, koers bewaken.
footer-a11y = Toegankelijkheid
footer-licence = Open source onder EUPL-1.2

# Meldingen na een actie
notice-saved = Opgeslagen.
notice-language-saved = Je taal is bewaard.
notice-org-created = De organisatie is aangemaakt.
notice-user-created = Het account is aangemaakt.
notice-invitation-revoked = De uitnodiging is ingetrokken.
notice-role-changed = De rol is gewijzigd.
notice-member-removed = Het lid is verwijderd uit de organisatie.
notice-password-changed = Je wachtwoord is gewijzigd. Andere apparaten zijn uitgelogd.
notice-joined = Welkom! Je bent nu lid van deze organisatie.
notice-logged-out = Je bent uitgelogd.

# Start
home-title = Start
home-title-anon = Koers: van experiment naar blijvende verandering
home-intro = Koers helpt publieke organisaties om digitale transformatie samen vorm te geven: met een scan vanuit alle perspectieven, sessies met het hele systeem in de zaal, een innovatieagenda en signalen van inwoners.
home-welcome = Welkom bij Koers
home-loop = Meten, samen duiden, koers bepalen, koers bewaken — en weer opnieuw.
home-my-orgs = Mijn organisaties
home-no-orgs = Je bent nog geen lid van een organisatie. Vraag een beheerder om een uitnodiging.
home-your-role = jouw rol
loop-meten = Meten
loop-meten-text = een eerlijk beeld van waar de organisatie staat, vanuit elk perspectief.
loop-duiden = Samen duiden
loop-duiden-text = het hele systeem in de zaal, op zoek naar wat verbindt.
loop-bepalen = Koers bepalen
loop-bepalen-text = een innovatieagenda die collega's kunnen dragen.
loop-bewaken = Koers bewaken
loop-bewaken-text = een korte lus van inwonerssignalen naar verbetering.

# Inloggen
login-title = Inloggen
login-help = Wachtwoord vergeten? Vraag de beheerder van je organisatie om een herstellink. Daarmee kies je zelf een nieuw wachtwoord.
field-email = E-mailadres
field-password = Wachtwoord
field-name = Naam
field-new-password = Nieuw wachtwoord
field-password-hint = Minimaal 10 tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden.
field-password-again = Herhaal het wachtwoord
field-current-password = Huidig wachtwoord
field-role = Rol
field-org-name = Naam van de organisatie

# Eerste installatie
setup-title = Koers instellen
setup-intro = Er is nog geen beheerder. Maak het eerste beheerdersaccount aan. De instelcode staat in het logboek van de server.
setup-submit = Beheerder aanmaken
field-setup-code = Instelcode
field-setup-code-hint = De code die Koers bij het starten in het serverlogboek heeft gezet.

# Account
account-title = Mijn account
account-logged-in-as = Je bent ingelogd als
account-password = Wachtwoord wijzigen
account-password-submit = Wachtwoord wijzigen
account-language = Taal
account-language-text = Deze browser onthoudt je taalkeuze. Wisselen naar:
account-language-saved-text = Welke taal gebruikt Koers voor je account, ook op andere apparaten?
account-language-field = Taal van je account
account-language-submit = Taal bewaren

# Organisaties
org-loop-title = De lus van deze organisatie
org-title = Organisatie
org-edit-title = Gegevens van de organisatie
org-kind = Soort organisatie
org-size = Omvang
org-country = Land
org-your-role = Jouw rol
org-edit-link = Gegevens wijzigen
org-members = Leden
org-new-role-for = Nieuwe rol voor
org-change-role = Rol wijzigen
org-remove-member = Verwijderen
org-invite = Iemand uitnodigen
org-invite-text = Maak een uitnodigingslink en stuur die zelf naar de persoon die je wilt uitnodigen. De link werkt één keer.
org-invite-submit = Uitnodigingslink maken
org-invitations = Uitnodigingen
org-no-invitations = Er zijn nog geen uitnodigingen.
org-audit = Logboek
org-no-audit = Nog geen acties vastgelegd.
field-invite-note = Notitie (optioneel)
field-invite-note-hint = Bijvoorbeeld voor wie de uitnodiging is. Alleen beheerders zien dit.

org-kind-gemeente = Gemeente
org-kind-provincie = Provincie
org-kind-waterschap = Waterschap
org-kind-ministerie = Ministerie
org-kind-uitvoeringsorganisatie = Uitvoeringsorganisatie
org-kind-zorginstelling = Zorginstelling
org-kind-overig = Overig
org-size-xs = tot 50 medewerkers
org-size-s = 51 tot 250 medewerkers
org-size-m = 251 tot 1.000 medewerkers
org-size-l = 1.001 tot 5.000 medewerkers
org-size-xl = meer dan 5.000 medewerkers
country-nl = Nederland
country-be = België
role-beheerder = Beheerder
role-facilitator = Facilitator
role-lid = Lid
role-platform-admin = Platformbeheerder

# Uitnodigingen
invitation-title = Uitnodiging
invitation-created-title = Uitnodigingslink gemaakt
invitation-created-text = Kopieer deze link en stuur hem naar de persoon die je uitnodigt.
invitation-link = Uitnodigingslink
invitation-once = Deze link wordt maar één keer getoond en werkt maar één keer.
invitation-created = Gemaakt
invitation-expires = Geldig tot
invitation-status = Status
invitation-status-open = Open
invitation-status-accepted = Gebruikt
invitation-status-revoked = Ingetrokken
invitation-status-expired = Verlopen
invitation-revoke = Intrekken
invitation-for = Je bent uitgenodigd voor
invitation-accept = Uitnodiging aannemen
invitation-have-account = Heb je al een account?
invitation-new-account = Nieuw account aanmaken
invitation-create-and-join = Account aanmaken en lid worden
invitation-invalid-title = Uitnodiging niet geldig
invitation-invalid = Deze uitnodiging bestaat niet, is verlopen, is ingetrokken of is al gebruikt. Vraag de beheerder om een nieuwe link.

# Platformbeheer
admin-title = Platformbeheer
admin-orgs = Organisaties
admin-new-org = Nieuwe organisatie
admin-create-org = Organisatie aanmaken
admin-users = Accounts
admin-new-user = Nieuw account
admin-create-user = Account aanmaken
admin-user-org = Lid van organisatie
admin-user-no-org = (geen organisatie)
admin-status = Status
admin-locked = Tijdelijk geblokkeerd
admin-reset-password = Nieuw wachtwoord instellen
admin-reset-submit = Instellen

# Logboek
audit-setup-admin-created = Eerste beheerder aangemaakt
audit-org-created = Organisatie aangemaakt
audit-org-updated = Gegevens gewijzigd
audit-invitation-created = Uitnodiging gemaakt
audit-invitation-revoked = Uitnodiging ingetrokken
audit-invitation-accepted = Uitnodiging aangenomen
audit-member-role-changed = Rol gewijzigd
audit-member-removed = Lid verwijderd
audit-member-added = Lid toegevoegd
audit-user-created = Account aangemaakt
audit-user-password-reset = Wachtwoord opnieuw ingesteld
audit-a11y-updated = Toegankelijkheidsverklaring bijgewerkt

# Toegankelijkheid
a11y-title = Toegankelijkheidsverklaring
a11y-edit-title = Toegankelijkheidsverklaring invullen
a11y-intro = Wij willen dat iedereen Koers kan gebruiken. Hieronder staat hoe toegankelijk deze website is.
a11y-not-filled = De organisatie die deze Koers beheert, heeft de toegankelijkheidsverklaring nog niet ingevuld.
a11y-organisation = Organisatie
a11y-status = Status
a11y-date = Datum van de verklaring
a11y-date-hint = Als JJJJ-MM-DD, bijvoorbeeld 2026-11-01.
a11y-contact = Contact over toegankelijkheid
a11y-limitations = Bekende beperkingen
a11y-limitations-hint = Eén beperking per regel.
a11y-no-limitations = Er zijn geen bekende beperkingen.
a11y-what-we-do = Wat Koers zelf doet
a11y-what-we-do-text = Koers is gebouwd volgens WCAG 2.2 niveau AA: alles werkt met het toetsenbord en zonder JavaScript, elke grafiek heeft een tabel, en elke pagina wordt automatisch getest met axe-core, in beide talen en op een telefoonscherm.
a11y-status-full = A: voldoet volledig
a11y-status-partial = B: voldoet gedeeltelijk
a11y-status-first-steps = C: eerste maatregelen genomen
a11y-status-none = D: voldoet niet
a11y-status-not-assessed = E: nog niet beoordeeld

# Foutmeldingen bij formulieren
error-summary-title = Er is een probleem
error-email = Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.
error-email-empty = Vul je e-mailadres in.
error-email-taken = Er bestaat al een account met dit e-mailadres.
error-name-empty = Vul een naam in.
error-name-long = De naam mag hoogstens 80 tekens lang zijn.
error-password-short = Het wachtwoord moet minimaal 10 tekens lang zijn.
error-password-long = Het wachtwoord is te lang.
error-password-mismatch = De twee wachtwoorden zijn niet gelijk.
error-password-repeated = Het wachtwoord herhaalt steeds hetzelfde teken of stukje. Kies iets dat moeilijker te raden is, bijvoorbeeld een paar losse woorden.
error-password-sequence = Het wachtwoord is een reeks zoals abcdef, 123456 of qwerty. Kies iets dat moeilijker te raden is, bijvoorbeeld een paar losse woorden.
error-password-email = Het wachtwoord bevat je e-mailadres of je naam daaruit. Kies iets dat moeilijker te raden is.
error-password-common = Dit wachtwoord wordt veel gebruikt en is daardoor snel te raden. Kies iets anders, bijvoorbeeld een paar losse woorden.
error-current-password = Je huidige wachtwoord klopt niet.
error-login-failed = Het e-mailadres of het wachtwoord klopt niet. Na een paar mislukte pogingen op rij moet je een kwartier wachten voor je het opnieuw probeert.
error-login-rate = Te veel inlogpogingen vanaf dit adres. Wacht een paar minuten en probeer het opnieuw.
error-setup-code = De instelcode klopt niet. Je vindt hem in het logboek van de server.
error-org-kind = Kies het soort organisatie.
error-org-size = Kies de omvang.
error-org-country = Kies Nederland of België.
error-org-name-short = Vul de naam van de organisatie in (minimaal 2 tekens).
error-org-name-long = De naam mag hoogstens 120 tekens lang zijn.
error-org-name-taken = Er bestaat al een organisatie met deze naam.
error-organisation = Kies een bestaande organisatie.
error-role = Kies een rol.
error-note-long = De notitie mag hoogstens 200 tekens lang zijn.
error-last-beheerder = Een organisatie heeft minstens één beheerder nodig. Maak eerst iemand anders beheerder.
error-a11y-organisation = Vul de naam van de organisatie in (hoogstens 200 tekens).
error-a11y-status = Kies een status.
error-a11y-date = Vul een bestaande datum in als JJJJ-MM-DD.
error-a11y-limitations = De beperkingen mogen samen hoogstens 5.000 tekens zijn.

# Foutpagina's
error-code = Foutcode
error-home-link = Naar de startpagina
error-404-title = Pagina niet gevonden
error-404 = Deze pagina bestaat niet, of je hebt er geen toegang toe. Controleer het adres.
error-403-title = Geen toegang
error-403 = Je hebt geen toegang tot deze actie. Kwam je hier via een formulier? Laad de pagina opnieuw en probeer het nog eens.
error-413-title = Te veel gegevens
error-413 = Wat je verstuurde is te groot. Maak het kleiner en probeer het opnieuw; er is niets opgeslagen.
error-400-title = Onjuist verzoek
error-400 = Het verzoek kon niet worden gelezen. Er is niets opgeslagen.
error-429-title = Te veel verzoeken
error-429 = Je hebt te veel verzoeken achter elkaar gedaan. Wacht even en probeer het opnieuw.
error-storage-full-title = De opslag is vol
error-storage-full = De schijf van de server is vol. Er is niets opgeslagen. Probeer het over een paar minuten opnieuw, en meld het bij de beheerder als het zo blijft.
error-busy-title = Even heel druk
error-busy = Er doen nu heel veel mensen tegelijk mee. Er is niets verloren gegaan; de pagina probeert het zo vanzelf opnieuw.
error-busy-retry = Nu opnieuw proberen
error-busy-auto = Over een paar seconden wordt het vanzelf opnieuw geprobeerd.
error-503-title = Tijdelijk niet beschikbaar
error-503 = Koers kan de database nu niet bereiken. Probeer het over een paar minuten opnieuw.
error-500-title = Er ging iets mis
error-500 = Er ging aan onze kant iets mis. Er is niets half opgeslagen. Probeer het opnieuw; blijft het misgaan, neem dan contact op met de beheerder.


# --- share (issue 9) ---
link-status-open = Werkt
link-status-used = Gebruikt
link-status-revoked = Ingetrokken
link-status-expired = Verlopen
copy-link = Link kopiëren
copy-done = De link is gekopieerd.
reset-created-title = Herstellink gemaakt
reset-created-text = Geef deze link aan het lid, bijvoorbeeld in een persoonlijk bericht. Met de link kiest het lid zelf een nieuw wachtwoord. Het oude wachtwoord blijft werken tot dan.
reset-link = Herstellink
reset-for = Voor
reset-once = Je ziet deze link maar één keer. Hij werkt één keer en een dag lang. Na het herstellen is het lid overal uitgelogd.
reset-title = Nieuw wachtwoord kiezen
reset-intro = Kies een nieuw wachtwoord voor je account. Daarna log je in met het nieuwe wachtwoord. Je bent dan op al je apparaten uitgelogd.
reset-account = Account
reset-submit = Wachtwoord opslaan
reset-invalid-title = Deze link werkt niet meer
reset-invalid = Deze herstellink is al gebruikt of verlopen. Vraag de beheerder van je organisatie om een nieuwe.
org-reset-password = Wachtwoord herstellen
error-reset-platform-admin = Dit is het account van een platformbeheerder. Een andere platformbeheerder kan het wachtwoord herstellen.
error-reset-other-organisation = Dit account hoort ook bij een andere organisatie. Vraag de platformbeheerder om het wachtwoord te herstellen.
notice-password-reset = Je nieuwe wachtwoord is opgeslagen. Log in met je nieuwe wachtwoord.
audit-member-password-reset-created = Herstellink voor wachtwoord gemaakt
audit-account-password-reset = Wachtwoord hersteld met een herstellink
field-invite-email = E-mailadres (optioneel)
field-invite-email-hint = Vul je een adres in, dan kan alleen iemand met dat e-mailadres de uitnodiging aannemen.
invitation-email = E-mailadres
invitation-email-anyone = Iedereen met de link
invitation-tied-to = Deze uitnodiging is alleen voor
error-invitation-email = Deze uitnodiging is voor een ander e-mailadres. Gebruik het adres waarvoor je bent uitgenodigd.
error-invitation-other-account = Deze uitnodiging is voor een ander e-mailadres dan dat van je account. Log uit en neem de uitnodiging aan met het goede account, of vraag de beheerder om een nieuwe uitnodiging.
error-share-days = Kies hoe lang de link werkt.
# --- mail ---
mail-failed = De e-mail kon niet worden verstuurd; kopieer de link en geef hem zelf door.
mail-sent-to = Verstuurd per e-mail naar { $email }.
invitation-mailed-text = De uitnodiging is per e-mail verstuurd. De link staat alleen in die e-mail.
reset-mailed-text = De herstellink is per e-mail naar het lid verstuurd. Met de link kiest het lid zelf een nieuw wachtwoord. Het oude wachtwoord blijft werken tot dan.
mail-invitation-subject = Uitnodiging voor { $org } in Koers
mail-invitation-body =
    { $inviter } nodigt je uit voor { $org } in Koers, met de rol { $role }.

    Neem de uitnodiging aan via deze link (geldig tot { $expires }):
    { $link }

    De link werkt één keer. Verwachtte je deze uitnodiging niet, dan kun je dit bericht negeren.
mail-reset-subject = Nieuw wachtwoord kiezen voor Koers
mail-reset-body =
    { $by } heeft een link gemaakt waarmee je een nieuw wachtwoord kiest voor je Koers-account { $email } bij { $org }.

    Kies je nieuwe wachtwoord via deze link (geldig tot { $expires }):
    { $link }

    De link werkt één keer. Je oude wachtwoord blijft werken tot je een nieuw kiest; daarna ben je op al je apparaten uitgelogd. Heb je hier niet om gevraagd, neem dan contact op met { $by }.
