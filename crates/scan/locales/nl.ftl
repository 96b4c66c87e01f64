## Scan — Nederlands

org-scan-link = Scans van deze organisatie
card-scan-title = Scan

# --- waves ---
scan-waves-title = Scans
scan-waves-intro = metingen van digitale volwassenheid en leiderschap, in golven. Vergelijk een golf met de vorige om te zien wat er veranderd is.
scan-waves-none = Er is nog geen golf gestart.
scan-new-title = Nieuwe golf
scan-new-intro = Kies een model, de perspectieven die antwoorden, en of de antwoorden anoniem zijn. Daarna nodigt u mensen uit en opent u de golf.
scan-wave-title = Golf
scan-wave-title-field = Naam van de golf
scan-wave-title-hint = Bijvoorbeeld "Nulmeting 2027".
scan-model = Model
scan-model-key-informant = Eén persoon beantwoordt dit model namens de organisatie; de antwoorden zijn niet anoniem.
scan-perspectives = Perspectieven
scan-perspectives-hint = Eén perspectief per regel. Zet "; zelf" achter een perspectief dat zichzelf beoordeelt, en eventueel "; 2" voor een ander gewicht dan 1. Bijvoorbeeld: "Leidinggevenden; zelf".
scan-perspectives-default = Bestuur en management
    Medewerkers
scan-perspective = Perspectief
scan-rates-self = Beoordeelt zichzelf
scan-weight = Gewicht
scan-anonymous = Anoniem
scan-anonymous-hint = In een anonieme golf zijn de antwoorden niet te koppelen aan de uitnodiging. Er wordt alleen bijgehouden óf iemand heeft geantwoord.
scan-anonymous-yes = Ja, anoniem
scan-anonymous-no = Nee, antwoorden horen bij de uitnodiging
scan-key-informant-short = Nee (één persoon namens de organisatie)
scan-previous = Vergelijken met golf
scan-previous-none = (geen)
scan-create = Golf aanmaken
scan-status = Status
scan-status-concept = In voorbereiding
scan-status-open = Open
scan-status-closed = Gesloten
scan-created = Aangemaakt
scan-opened = Geopend
scan-closed = Gesloten op
scan-yes = ja
scan-no = nee
scan-results-link = Resultaten
scan-import-link = Antwoorden importeren
scan-open-wave = Golf openen
scan-concept-hint = U kunt alvast uitnodigingen en een open link maken; antwoorden kan pas als de golf open is.
scan-error-title = Geef de golf een naam van hoogstens 200 tekens.
scan-error-model = Kies een model.
scan-error-perspective-name = Elk perspectief heeft een naam van hoogstens 80 tekens.
scan-error-perspective-weight = Een gewicht is een getal groter dan 0 en hoogstens 100.
scan-error-perspective-flag = Achter een perspectief mag alleen "zelf" of een gewicht staan.
scan-error-perspective-duplicate = Twee perspectieven hebben dezelfde naam.
scan-error-perspectives-empty = Geef ten minste één perspectief.
scan-error-perspectives-many = Geef hoogstens 12 perspectieven.
scan-error-anonymous = Kies of de golf anoniem is.
scan-error-previous = Kies een golf van deze organisatie om mee te vergelijken, of geen.
scan-error-wave-closed = Deze golf is gesloten.
notice-scan-wave-created = De golf is aangemaakt.
notice-scan-wave-opened = De golf is open: respondenten kunnen antwoorden.
notice-scan-wave-not-concept = De golf was al geopend.
notice-scan-remind-not-open = Herinneren kan alleen als de golf open is.
notice-scan-open-link-closed = Deze golf is gesloten; er kan geen open link meer bij.
notice-scan-open-link-revoked = De open link is ingetrokken en werkt niet meer.
scan-progress-title = Voortgang
scan-progress = Antwoorden
scan-progress-total = { $n ->
    [one] Er is 1 antwoord binnen.
   *[other] Er zijn { $n } antwoorden binnen.
}
scan-progress-invited = { $n ->
    [one] 1 persoon uitgenodigd,
   *[other] { $n } personen uitgenodigd,
}
scan-progress-completed = { $n } daarvan hebben geantwoord.
scan-progress-count = { $n ->
    [one] 1 antwoord
   *[other] { $n } antwoorden
}
scan-progress-enough = genoeg antwoorden
scan-progress-too-few = nog te weinig antwoorden
scan-progress-rule = Per perspectief tonen we geen aantal: alleen of er genoeg antwoorden zijn om resultaten te laten zien zonder dat iemand herkenbaar is.
scan-invite-title = Uitnodigen
scan-invitees = Uitgenodigden
scan-invitees-hint = Eén persoon per regel: perspectief; naam of e-mailadres. Bijvoorbeeld "Medewerkers; jan@voorbeeld.nl". Iedereen krijgt een eigen link.
scan-invite-button = Links maken
scan-error-invitees-empty = Geef ten minste één uitgenodigde.
scan-error-invitees-many = Geef hoogstens 1000 uitgenodigden tegelijk.
scan-error-invitee-line = Regel { $line }: schrijf "perspectief; naam of e-mailadres".
scan-error-invitee-perspective = Regel { $line }: deze golf heeft geen perspectief "{ $perspective }".
scan-error-invitee-name = Regel { $line }: geef een naam of e-mailadres van hoogstens 200 tekens.
scan-error-invitee-email = Regel { $line }: dit is geen geldig e-mailadres.
scan-links-title = Nieuwe persoonlijke links
scan-reminded-title = Herinneringen: nieuwe links
scan-links-once = Deze links zijn nu eenmalig te zien: Koers bewaart ze niet. Kopieer ze nu.
scan-link-mailed = per e-mail verstuurd
scan-mail-not-set-up = E-mail is op deze Koers niet ingesteld: kopieer de links en stuur ze zelf door.
scan-open-link-title = Open link
scan-open-link-intro = Met de open link kan iedereen die hem heeft antwoorden en zelf een perspectief kiezen. Handig voor een nieuwsbrief of intranet; trek hem in als hij niet meer nodig is.
scan-open-link-url = Open link
scan-open-link-exists = Er is een open link. Koers bewaart hem niet; maak een nieuwe als u hem kwijt bent (de oude werkt dan niet meer).
scan-open-link-make = Open link maken
scan-open-link-renew = Nieuwe open link maken
scan-open-link-revoke = Open link intrekken
scan-pending-title = Nog niet geantwoord
scan-pending-none = Iedereen die een persoonlijke link kreeg, heeft geantwoord (of er zijn nog geen uitnodigingen).
scan-pending-intro = Alleen wie nog niet heeft geantwoord staat hier; antwoorden zijn hier nooit te zien.
scan-invitee = Uitgenodigde
scan-invited-on = Uitgenodigd op
scan-reminded-on = Herinnerd op
scan-remind-hint = Iedereen hierboven krijgt een nieuwe link (per e-mail als dat kan); de vorige link werkt dan niet meer, opgeslagen antwoorden blijven bewaard.
scan-remind-button = Herinnering sturen
scan-mail-invite-subject = Uitnodiging: { $wave }
scan-mail-invite-body = { $org } vraagt u mee te doen aan "{ $wave }".
    Met deze persoonlijke link vult u de vragenlijst in; u kunt tussendoor opslaan en later verder:
    { $link }
scan-mail-remind-subject = Herinnering: { $wave }
scan-mail-remind-body = U heeft nog niet meegedaan aan "{ $wave }" van { $org }. Hier is uw nieuwe persoonlijke link (de vorige werkt niet meer; wat u al had opgeslagen staat er nog):
    { $link }
scan-card-latest = Laatste golf: { $title } ({ $status })
scan-card-none = Er is nog geen golf gestart.
scan-card-manage = Golf beheren
scan-form-title = Vragenlijst
scan-step-of = Stap { $step } van { $steps }
scan-intro-anonymous = Deze vragenlijst is anoniem. Bewaard worden uw antwoorden en het perspectief waarvoor u antwoordt; niet wie u bent, niet wanneer u antwoordde, en uw antwoorden zijn niet te koppelen aan uw link. Van uw link onthouden we alleen dát u heeft geantwoord (de dag, niet de tijd). Resultaten tonen we alleen voor groepen die groot genoeg zijn.
scan-intro-named = Deze vragenlijst is niet anoniem: uw antwoorden worden bewaard bij uw uitnodiging. Resultaten tonen we alleen per groep die groot genoeg is.
scan-intro-key-informant = U beantwoordt deze vragenlijst namens de organisatie. De antwoorden gelden als feiten over de organisatie en zijn niet anoniem.
scan-required = verplicht
scan-hint-checklist = Vink aan wat van toepassing is; niets aanvinken is ook een antwoord.
scan-hint-gated = Vink de criteria aan waaraan al wordt voldaan.
scan-grid-area = Onderdeel
scan-grid-planned = Gepland
scan-grid-implemented = Gerealiseerd
scan-adoption-0 = 0 niet gebruikt
scan-adoption-1 = 1 verkennen
scan-adoption-2 = 2 plannen
scan-adoption-3 = 3 proef
scan-adoption-4 = 4 deels in gebruik
scan-adoption-5 = 5 volledig in gebruik
scan-tri-nee = Nee
scan-tri-deels = Deels
scan-tri-ja = Ja
scan-level = Niveau
scan-next = Volgende
scan-previous-step = Vorige
scan-send = Versturen
scan-save-later = Opslaan en later verder
scan-saved-title = Opgeslagen
scan-saved = Uw antwoorden zijn opgeslagen. Met de link hieronder gaat u later verder waar u was; bewaar hem goed, want iedereen met deze link kan uw antwoorden zien en aanvullen.
scan-resume-link = Link om later verder te gaan
scan-resume-now = Nu verder gaan
scan-thanks-title = Bedankt
scan-thanks = Uw antwoorden zijn verstuurd. Bedankt voor het meedoen!
scan-gone-unknown-title = Deze link werkt niet
scan-gone-unknown = Deze link bestaat niet (meer). Misschien is er een nieuwere link gestuurd, of is de link ingetrokken. Vraag zo nodig om een nieuwe link.
scan-gone-not-open-title = Nog niet open
scan-gone-not-open = Deze vragenlijst is nog niet open. Probeer het later opnieuw met dezelfde link.
scan-gone-closed-title = Gesloten
scan-gone-closed = Deze vragenlijst is gesloten; er kunnen geen antwoorden meer bij.
scan-choose-title = Vragenlijst
scan-choose-perspective = Voor welke groep antwoordt u?
scan-start = Beginnen
scan-error-choose-perspective = Kies de groep waarvoor u antwoordt.
scan-error-required-on-step = Stap { $step }: "{ $question }" is nog niet beantwoord.
scan-error-unknown-question = Dit antwoord hoort bij een vraag die deze vragenlijst niet heeft.
scan-error-unknown-option = Dit antwoord is geen keuze van deze vraag.
scan-error-unknown-row = Dit antwoord hoort bij een regel die deze vraag niet heeft.
scan-error-invalid-value = Dit antwoord is niet geldig.
scan-error-duplicate = Deze vraag heeft meer dan één antwoord gekregen.
scan-error-required = Beantwoord deze vraag.
scan-too-fast-title = Even geduld
scan-too-fast = Er zijn vanaf uw netwerk net veel vragenlijsten begonnen. Probeer het over een minuut opnieuw.
scan-import-title = Antwoorden importeren
scan-import-back = Terug naar de golf
scan-import-intro = Importeer antwoorden die met een ander programma zijn verzameld (LimeSurvey, Microsoft Forms, Qualtrics of een eigen spreadsheet).
scan-import-formats = Een CSV-bestand (scheidingsteken ; , of tab; UTF-8 of Windows-1252) of een Excel-bestand (.xlsx, het eerste blad). De eerste regel bevat de kolomnamen; elke volgende regel is één respondent.
scan-import-perspectives = Eén kolom geeft het perspectief van elke respondent, met als waarde een van:
scan-import-all-or-nothing = Er wordt pas iets opgeslagen als het hele bestand klopt; anders ziet u elke foute regel met de reden.
scan-import-file = Bestand
scan-import-file-hint = CSV of XLSX, hoogstens 10 MB.
scan-import-upload = Bestand lezen
scan-import-read = { $n ->
    [one] 1 regel gelezen uit
   *[other] { $n } regels gelezen uit
}
scan-import-mapping = Kolommen koppelen
scan-import-mapping-intro = Kies bij elke kolom bij welke vraag (of welk onderdeel van een vraag) hij hoort, en welke kolom het perspectief geeft. Kolommen die al zo heten als een vraag zijn vooraf gekozen.
scan-import-ignore = (niet importeren)
scan-import-perspective-column = Perspectief
scan-import-column-n = Kolom { $n }
scan-import-sample = Voorbeeld:
scan-import-do = Importeren
scan-import-other-file = Een ander bestand kiezen
scan-import-bad-rows = Regels met fouten
scan-import-line = Regel
scan-import-reason = Reden
scan-import-stored = { $n ->
    [one] 1 antwoord is geïmporteerd.
   *[other] { $n } antwoorden zijn geïmporteerd.
}
scan-import-error-empty = Het bestand bevat geen regels met antwoorden.
scan-import-error-unreadable = Het bestand is geen leesbaar CSV- of XLSX-bestand.
scan-import-error-too-large = Het bestand is te groot (hoogstens 10 MB, 20.000 regels en 1.000 kolommen).
scan-import-error-no-file = Kies een bestand.
scan-import-error-expired = Het gelezen bestand is niet meer bewaard (na een uur, of na een herstart). Kies het bestand opnieuw.
scan-import-error-perspective-column = Koppel precies één kolom aan het perspectief.
scan-import-error-twice = Twee kolommen zijn gekoppeld aan { $field }.
scan-import-error-rows = { $n ->
    [one] 1 regel klopt niet; er is niets opgeslagen.
   *[other] { $n } regels kloppen niet; er is niets opgeslagen.
}
scan-import-error-perspective = perspectief "{ $value }" bestaat niet in deze golf
