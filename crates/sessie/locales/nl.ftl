## Sessie — Nederlands

# Sessies (facilitator)
nav-sessions = Sessies
org-sessions-link = Sessies van deze organisatie
sessions-title = Sessies
sessions-intro = live sessies met het hele systeem in de zaal.
sessions-none = Er zijn nog geen sessies.
session-new-title = Nieuwe sessie
session-new-intro = Een sessie draait om één concrete opgave. Deelnemers doen mee op hun telefoon, zonder account.
session-title-field = Opgave
session-title-hint = Bijvoorbeeld: Eén loket voor schuldhulp in 2027.
session-description = Toelichting (optioneel)
session-description-hint = Wat is de opgave en waarom nu? Deelnemers zien dit bij het meedoen.
session-perspectives = Perspectieven in de zaal
session-perspectives-hint = Eén per regel. Deelnemers kiezen er één bij het meedoen.
session-seeds = Startstellingen (optioneel)
session-seeds-hint = Eén stelling per regel, om het gesprek op gang te brengen.
session-moderation = Moderatie
moderation-post = Achteraf: stellingen verschijnen direct; u kunt ze daarna verwijderen.
moderation-pre = Vooraf: stellingen verschijnen pas na uw goedkeuring.
session-max-chars = Maximaal aantal tekens per stelling
session-dots = Stippen per deelnemer
session-dots-hint = Het aantal stippen dat iedere deelnemer mag verdelen bij het prioriteren.
session-create = Sessie aanmaken
session-console-title = Sessie leiden
session-read-only = Alleen-lezen (geïmporteerd)
session-code = Code
session-phase = Fase
session-join-heading = Meedoen
session-join-code = Deelnemers gaan naar de website en typen deze code:
session-join-url = Of rechtstreeks:
session-join-open-until = De code werkt tot
session-join-closed = Meedoen is gesloten; de code werkt niet meer voor nieuwe deelnemers.
session-join-close = Meedoen sluiten
session-join-extend = Nog twee weken open houden
session-join-reopen = Meedoen weer openen (voor twee weken)
session-qr-alt = QR-code naar
session-phases = Fasen
session-participants = deelnemers
session-votes = stemmen
session-moderation-queue = Te beoordelen
session-queue-empty = Er wachten geen stellingen op beoordeling.
session-profanity-hint = Let op: mogelijk grof taalgebruik
moderation-accept = Toelaten
moderation-reject = Afwijzen
moderation-remove = Verwijderen
moderation-restore = Terugzetten
session-statements = Stellingen
session-add-seed = Stelling toevoegen
session-add-seed-submit = Toevoegen
session-seed-tag = startstelling
session-rejected = Afgewezen of verwijderd
session-next-steps = Afspraken en volgende stappen
session-no-steps = Er zijn nog geen afspraken vastgelegd.
session-step = Afspraak of volgende stap
session-step-owner = Wie pakt het op? (optioneel)
session-step-add = Afspraak toevoegen
delete = Verwijderen
statement = Stelling
phase-inbreng = Inbreng
phase-stemmen = Stemmen
phase-prioriteren = Prioriteren
phase-afronden = Afronden
phase-none-open = Geen fase open
session-finished = Afgerond
phase-state-not-started = Nog niet gestart
phase-state-open = Open
phase-state-paused = Gepauzeerd
phase-state-closed = Gesloten
phase-action-open = Openen
phase-action-pause = Pauzeren
phase-action-close = Sluiten
phase-action-reopen = Heropenen
audit-session-created = Sessie aangemaakt
audit-session-phase = Fase gewijzigd

# Projectie en resultaten
projector-title = Projectie
projector-join-at = Doe mee via
projector-bridging = Wat ons verbindt
projector-bridging-none = Nog geen stellingen waar elke groep en elk perspectief het mee eens is.
projector-at-least = minstens
projector-agree-everywhere = eens, in elke groep en elk perspectief
projector-map = Opiniekaart
projector-map-empty = De kaart verschijnt zodra genoeg mensen hebben gestemd.
projector-map-desc = Elke stip is een deelnemer; deelnemers die vergelijkbaar stemmen staan dicht bij elkaar. De kleur is de opiniegroep. De tabel met opiniegroepen geeft dezelfde informatie.
projector-groups = Opiniegroepen
projector-groups-none = Er zijn nog geen opiniegroepen: daarvoor zijn meer stemmen nodig.
projector-groups-table = Opiniegroepen met hun grootte en kenmerkende stellingen
projector-members = Leden
projector-typical = Kenmerkend
projector-consensus = Breed gedeeld
projector-consensus-none = Nog geen stellingen met brede overeenstemming.
projector-divisive = Waar we verschillen
projector-divisive-none = Nog geen stellingen waarover de groepen duidelijk verschillen.
projector-points-apart = procentpunt verschil tussen groepen
projector-perspectives = Per perspectief
projector-participation = Deelname per perspectief
anonymity-min-group-size = Cijfers per groep verschijnen vanaf { $n } deelnemers.
perspective = Perspectief
group = Groep
direction-agree = eens
direction-disagree = oneens
refresh = Vernieuwen
results-title = Resultaten
results-dots = Stippen
results-export = Exporteren
results-polis = Pol.is-formaat (zip)
results-polis-note = Het Pol.is-formaat is voor Pol.is-gereedschap: de teksten staan erin precies zoals ze zijn ingevoerd. Open het niet in een spreadsheet; gebruik daarvoor CSV, ODS of XLSX.

# Deelnemers
join-title = Meedoen
join-intro = Vul de code in die de facilitator laat zien.
join-code-hint = Zes tekens, bijvoorbeeld K7M-Q2P.
join-continue = Verder
join-anonymous = Je doet anoniem mee: we vragen niet naar je naam.
join-perspective = Vanuit welk perspectief doe je mee?
join-submit = Meedoen
join-unknown-title = Sessie niet gevonden
join-unknown = Er is geen sessie met deze code. Controleer de code bij de facilitator.
join-expired-title = Code verlopen
join-expired = Meedoen met deze sessie is gesloten. Vraag de facilitator om een nieuwe code.
join-read-only-title = Alleen-lezen
join-read-only = Dit is een afgeronde of geïmporteerde sessie; meedoen kan niet meer.
participant-title = Sessie
participant-waiting-title = Even wachten
participant-waiting = De facilitator start zo de volgende stap. Deze pagina ververst vanzelf.
participant-inbreng-intro = Welke drempel zie jij, of welk idee heb je? Eén korte stelling per keer.
participant-statement = Jouw stelling
participant-max-chars = Maximaal aantal tekens:
participant-send = Versturen
participant-own = Jouw stellingen
statement-status-pending = wacht op de facilitator
statement-status-accepted = zichtbaar voor iedereen
statement-status-rejected = niet toegelaten
participant-progress = Gestemd
participant-all-voted = Je hebt op alle stellingen gestemd. Nieuwe stellingen verschijnen hier vanzelf.
vote-busy-title = Je stem wordt zo verstuurd
vote-busy = Het is heel druk: je stem is nog niet opgeslagen. Hij wordt over een paar seconden vanzelf opnieuw verstuurd.
vote-busy-choice = Je keuze:
vote-busy-resend = Stem nu opnieuw versturen
vote-agree = Eens
vote-disagree = Oneens
vote-pass = Weet niet / overslaan
participant-dots-intro = Verdeel je stippen over de stellingen die jij het belangrijkst vindt. Aantal stippen:
participant-dots-save = Stippen opslaan
participant-shortlist-empty = Er staan nog geen stellingen klaar om te prioriteren.
participant-no-dots = Er zijn nog geen stippen verdeeld.
my-votes-title = Mijn stemmen
my-votes-none = Je hebt nog niet gestemd.
my-votes-current = Je stem
my-votes-back = Terug naar de sessie
participant-unknown-title = Deelname niet herkend
participant-unknown = We herkennen je deelname niet (meer). Ga opnieuw naar de sessie via de code; er is niets opgeslagen.
phase-closed-title = Deze fase is gesloten
phase-closed = De facilitator heeft deze fase gesloten of gepauzeerd. Er is niets opgeslagen. Ga terug naar de sessie om te zien wat nu open is.
statements-too-fast-title = Even rustig aan
statements-too-fast = Je hebt de afgelopen minuut veel stellingen ingestuurd. Deze is niet opgeslagen. Wacht een minuut en stuur hem dan opnieuw.
statement-unknown-title = Stelling niet gevonden
statement-unknown = Deze stelling hoort niet bij deze sessie of is verwijderd. Er is niets opgeslagen.
notice-statement-received = Dank je! Je stelling is ontvangen.
notice-dots-saved = Je stippen zijn opgeslagen.
error-409-title = Niet mogelijk
error-409 = Dit kan nu niet. Er is niets opgeslagen.
error-410-title = Niet meer beschikbaar
error-410 = Dit is niet meer beschikbaar.

# Foutmeldingen sessies
error-join-code = Vul een code van zes tekens in, zoals K7M-Q2P.
error-join-code-unknown = Er is geen sessie met deze code. Kijk de code nog eens na.
error-join-code-empty = Vul de code in die je op het scherm ziet, zoals K7M-Q2P.
error-join-code-confusable = Een code bevat geen O, 0, I, 1 of L. Kijk nog eens goed naar de code op het scherm.
error-join-code-char = Een code bevat alleen letters en cijfers, zoals K7M-Q2P.
error-join-code-short = Deze code is te kort. Een code heeft zes tekens, zoals K7M-Q2P.
error-join-code-long = Deze code is te lang. Een code heeft zes tekens, zoals K7M-Q2P.
error-join-perspective = Kies een perspectief.
error-join-name = De naam mag hoogstens 40 tekens lang zijn.
error-moderation = Kies een manier van modereren.
error-perspective = Een perspectief is 1 tot 40 tekens lang.
error-perspectives-count = Geef 1 tot 20 perspectieven, één per regel.
error-statement-empty = Schrijf een stelling.
error-statement-long = De stelling is te lang.
error-statement-long-count = Je stelling is te lang: ze heeft { $length } tekens, het maximum is { $max }. Je tekst staat nog in het veld.
error-session-title = De opgave is 3 tot 120 tekens lang.
error-session-description = De toelichting mag hoogstens 2.000 tekens lang zijn.
error-max-chars = Kies een aantal tussen 20 en 1.000.
error-dots = Kies een aantal tussen 1 en 20.
error-seed-long = Een van de startstellingen is te lang.
error-seed-count = Geef hoogstens 200 startstellingen.
error-step-empty = Beschrijf de afspraak.
error-step-long = De afspraak mag hoogstens 300 tekens lang zijn.
error-step-owner-long = De eigenaar mag hoogstens 100 tekens lang zijn.
error-dots-number = Vul bij elke stelling een heel getal in.
error-dots-budget = Je hebt meer stippen verdeeld dan je hebt. Verdeel er minder.

# Live sessions: e2e accessibility fixes
session-phase-state-actions = Status en acties
participant-dots-legend = Stippen per stelling
results-dots-unit = stippen

# Kaart op de organisatiepagina
card-sessie-title = Sessies
card-sessie-open = Nu open: { $title } ({ $phase })
card-sessie-none-open = Er is nu geen sessie open.
card-sessie-last = Laatst afgerond: { $title }, { $date }
card-sessie-none-finished = Nog geen afgeronde sessie.
card-sessie-to-console = Naar de sessie “{ $title }”
card-sessie-to-results = Resultaten van “{ $title }”
card-sessie-all = Alle sessies

# --- participant (issue 9) ---
home-join-title = Doe mee met een code
home-join-text = Zie je een code op het scherm in de zaal? Vul hem hier in. Je hebt geen account nodig.
join-code-line = Sessie met code
join-too-fast-title = Even wachten
join-too-fast = Er doen net heel veel mensen tegelijk mee. Er is niets opgeslagen. Wacht een minuut en probeer het dan opnieuw.
participant-back-session = Terug naar de sessie
participant-back-join = Naar de sessie
participant-back-code = Een code invullen
statement-late-title = De inbreng is gesloten
statement-late = Je stelling is niet verstuurd: de facilitator heeft de inbreng gesloten. Je tekst staat hieronder, zodat je hem kunt bewaren.
statement-late-text = Je tekst (niet verstuurd)
draft-kept-closed = Je was een stelling aan het typen toen de inbreng sloot. Die is niet verstuurd. Je tekst staat hieronder, zodat je hem kunt bewaren.
draft-kept-label = Je tekst (niet verstuurd)
draft-discard = Tekst weggooien
draft-restored = We hebben de tekst teruggezet die je nog niet had verstuurd.
participant-chars-left = { $n ->
    [one] Nog 1 teken
   *[other] Nog { $n } tekens
}
participant-chars-over = { $n ->
    [one] 1 teken te veel
   *[other] { $n } tekens te veel
}
participant-dots-left = { $n ->
    [0] Je hebt geen stippen meer over.
    [one] Je hebt nog 1 stip.
   *[other] Je hebt nog { $n } stippen.
}
participant-dots-count = { $n ->
    [one] 1 stip
   *[other] { $n } stippen
}
participant-dot-more = Een stip erbij
participant-dot-less = Een stip eraf
error-dots-none-left = Je hebt geen stippen meer over. Haal eerst ergens een stip weg.
error-dots-none-to-take = Deze stelling heeft geen stippen om weg te halen.
participant-you-are-here = Jij zit in { $group }: { $n } deelnemers stemmen ongeveer zoals jij.
my-votes-closed = Stemmen is nu gesloten. Je ziet hier wat je hebt gestemd.
