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
moderation-post = Achteraf: stellingen verschijnen direct; je kunt ze daarna verwijderen.
moderation-pre = Vooraf: stellingen verschijnen pas als jij ze hebt goedgekeurd.
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
phase-action-reopen = Opnieuw openen
audit-session-created = Sessie aangemaakt
audit-session-phase = Fase gewijzigd

# Projectie en resultaten
projector-title = Projectie
projector-join-at = Doe mee via
projector-bridging = Wat ons verbindt
projector-bridging-none = Nog geen stellingen waar elke groep en elk perspectief het mee eens is.
projector-bridging-means = In elke groep en in elk perspectief is een meerderheid het hiermee eens.
share-agree = { $pct }% eens, van { $n ->
    [one] 1 stem
   *[other] { $n } stemmen
}
share-disagree = { $pct }% oneens, van { $n ->
    [one] 1 stem
   *[other] { $n } stemmen
}
projector-map = Opiniekaart
projector-map-empty = De kaart verschijnt zodra genoeg mensen hebben gestemd.
projector-map-desc = Deelnemers die vergelijkbaar stemmen staan dicht bij elkaar; wie precies hetzelfde stemde, staat op dezelfde stip. De kleur is de opiniegroep. De tabel met opiniegroepen geeft dezelfde informatie.
projector-groups = Opiniegroepen
projector-groups-none = Er zijn nog geen opiniegroepen: daarvoor zijn meer stemmen nodig.
projector-groups-table = Opiniegroepen met hun grootte en kenmerkende stellingen
projector-members = Leden
projector-typical = Kenmerkend
projector-consensus = Breed gedeeld
projector-consensus-none = Nog geen stellingen met brede overeenstemming.
projector-divisive = Waar we verschillen
projector-divisive-none = Nog geen stellingen waarover de groepen duidelijk verschillen.
projector-divisive-means = De ene groep is het vooral eens, de andere vooral oneens. Wie 'overslaan' koos, telt niet als oneens.
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

# --- lead: honest numbers (issue 9) ---
results-votes = Stemmen
results-order = Op volgorde van het aantal stippen, daarna van het aandeel eens. Een stelling met minder dan { $n } stemmen staat achter de stellingen met meer stemmen: met zo weinig stemmen zegt het percentage nog weinig. Het percentage eens telt alle stemmen mee, ook overslaan.
projector-participants-label = Deelnemers
projector-votes-label = Stemmen

# --- room (issue 9) ---
room-title = Scherm in de zaal
room-waiting = Zo meteen beginnen we
room-welcome = Pak je telefoon en doe mee. Je doet anoniem mee: niemand ziet wat jij invult.
room-view-by-hand = gekozen door de begeleider
room-join-title = Doe mee
room-join-closed = Meedoen is gesloten
room-qr-alt = QR-code naar { $url }
room-statements-unit = { $n ->
    [one] stelling ingestuurd
   *[other] stellingen ingestuurd
}
room-participants-unit = { $n ->
    [one] deelnemer
   *[other] deelnemers
}
room-votes-unit = { $n ->
    [one] stem
   *[other] stemmen
}
room-dots-unit = { $n ->
    [one] stip gezet
   *[other] stippen gezet
}
room-wall-title = Nieuwste stellingen
room-wall-empty = Nog geen stellingen. Stuur de eerste in!
room-groups-table = Opiniegroepen op de kaart en hun aantal deelnemers
room-dots-title = Stippen tot nu toe
room-top-title = Onze prioriteiten
room-hidden-note = De uitkomsten komen straks. Nu tellen we alleen mee.
room-missing-title = Deze schermlink werkt niet
room-missing = Misschien heeft de begeleider een nieuwe link gemaakt of de link ingetrokken. Vraag de begeleider om de nieuwe link.
room-console-title = Scherm in de zaal
room-console-intro = Zet de sessie op de beamer zonder in te loggen op de computer in de zaal. Het scherm laat alleen zien wat voor de zaal bedoeld is: geen namen en geen stellingen die nog wachten of zijn afgewezen.
room-link-none = Er is nog geen schermlink.
room-link-exists = Er is een schermlink sinds
room-link-make = Schermlink maken
room-link-renew = Nieuwe schermlink maken (de oude werkt dan niet meer)
room-link-revoke = Schermlink intrekken
room-link-title = Je schermlink
room-link-intro = Met deze link opent de computer in de zaal het scherm van de sessie
room-link-label = Schermlink
room-link-once = Je ziet deze link maar één keer. Kopieer hem nu. Ben je hem kwijt? Maak dan een nieuwe.
room-link-copy = Link kopiëren
room-link-copied = De link is gekopieerd.
room-back-to-console = Terug naar de sessie
room-howto-title = Zo zet je het scherm op de beamer
room-howto-1 = Kopieer de link hierboven en stuur hem naar de computer in de zaal (bijvoorbeeld per mail of chat).
room-howto-2 = Open de link op die computer in een browser. Inloggen is niet nodig.
room-howto-3 = Zet de browser op volledig scherm (meestal met de toets F11).
room-howto-4 = Het scherm volgt de fase die open staat. In de sessie kies je zelf een andere weergave, verberg je uitkomsten of start je een klok.
room-view-legend = Wat laat het scherm zien?
room-view-follow = Volg de fase die open staat
room-view-save = Weergave kiezen
room-results-title = Uitkomsten op het scherm
room-results-hidden = Verborgen: de zaal ziet nu alleen de aantallen.
room-results-shown = Zichtbaar voor de zaal.
room-reveal = Uitkomsten laten zien
room-hide = Uitkomsten verbergen
countdown-title = Klok
countdown-label = Nog
countdown-done = De tijd is om.
countdown-stop = Klok stoppen
countdown-start = Klok starten
countdown-minutes = Aantal minuten
countdown-minutes-hint = Een heel getal van 1 tot en met { $max }. De klok hoort bij de fase die nu open staat.
countdown-preset = { $n ->
    [one] 1 minuut
   *[other] { $n } minuten
}
countdown-needs-phase = Open eerst een fase. Dan kun je een klok starten.
error-countdown-minutes = Vul een heel aantal minuten in, van 1 tot en met 60.
error-countdown-no-phase = Er staat geen fase open. Open eerst een fase en start dan de klok.
error-room-view = Kies een van de weergaven.
map-caption = Wie ongeveer hetzelfde stemt, staat dicht bij elkaar; wie precies hetzelfde stemde, staat op dezelfde stip. { $shown ->
    [one] 1 deelnemer staat
   *[other] { $shown } deelnemers staan
} op { $dots ->
    [one] 1 stip
   *[other] { $dots } stippen
}, van de { $total ->
    [one] 1 deelnemer
   *[other] { $total } deelnemers
}: wie nog maar op een paar stellingen stemde, telt nog niet mee, en groepen van minder dan { $min } mensen laten we niet zien.

# --- console (issue 9) ---
statement-status-merged = samengevoegd met een stelling die hetzelfde zegt
console-refresh = Vernieuwen
console-participants = { $n ->
    [one] 1 deelnemer
   *[other] { $n } deelnemers
}
console-votes = { $n ->
    [one] 1 stem
   *[other] { $n } stemmen
}
console-queue-summary = { $n ->
    [0] Er wachten geen stellingen op je.
    [one] Er wacht 1 stelling op je.
   *[other] Er wachten { $n } stellingen op je.
}
console-new-statement = Er is een nieuwe stelling binnengekomen.
console-participation = Deelnemers per perspectief
console-participation-none = Nog niemand doet mee.
console-perspective = Perspectief
console-perspective-count = Deelnemers
console-accepted-count = Zichtbare stellingen
session-facilitator-tag = van de facilitator
statement-edited-tag = aangepast
console-merged = Samengevoegd
console-merged-into = Samengevoegd met:
console-ballot = Lijst voor prioriteren
console-ballot-intro = Deze stellingen krijgen de deelnemers bij prioriteren. Koers stelt de lijst samen uit wat de groepen verbindt. Je kunt stellingen toevoegen of weghalen tot je prioriteren opent. Dan ligt de lijst vast.
console-ballot-frozen = De lijst ligt vast sinds prioriteren is geopend. Zo wijzen de stippen van de deelnemers altijd naar dezelfde lijst.
console-ballot-empty = Er staan nog geen stellingen op de lijst.
console-ballot-remove = Van de lijst halen
console-ballot-others = Andere stellingen op de lijst zetten
console-ballot-add = Op de lijst zetten
console-ballot-later = De lijst voor prioriteren verschijnt hier zodra het stemmen is begonnen.
session-log-link = Logboek van deze sessie
join-close-title = Meedoen sluiten?
join-close-explain = Als je meedoen sluit, kan niemand meer nieuw meedoen met de code. Wie al meedoet, kan gewoon verder. Je kunt meedoen later weer openen.
join-close-already = { $n ->
    [0] Er doet nog niemand mee.
    [one] Er doet nu 1 deelnemer mee.
   *[other] Er doen nu { $n } deelnemers mee.
}
join-close-yes = Ja, meedoen sluiten
join-close-no = Nee, terug
statement-edit-link = Aanpassen
statement-edit-title = Stelling aanpassen
statement-edit-fix = Tekst verbeteren
statement-edit-original = Tekst van de schrijver:
statement-edit-votes-stay = Gebruik dit voor een tikfout. De stemmen die al zijn uitgebracht blijven staan, dus verander niet wat de stelling zegt.
statement-edit-votes = { $n ->
    [0] Er is nog niet op gestemd.
    [one] Er is 1 keer op gestemd.
   *[other] Er is { $n } keer op gestemd.
}
statement-edit-text = Stelling
statement-edit-hint = De deelnemers en het scherm in de zaal tonen de nieuwe tekst. De tekst van de schrijver blijft bewaard in het logboek.
statement-edit-save = Opslaan
statement-merge-title = Samenvoegen met een stelling die hetzelfde zegt
statement-merge-explain = Deze stelling verdwijnt dan bij de deelnemers en op het scherm. Wie alleen op deze stelling stemde, telt mee bij de stelling die blijft. Wie op allebei stemde, houdt de stem op de stelling die blijft. Stippen gaan op dezelfde manier.
statement-merge-none = Er is geen andere zichtbare stelling om mee samen te voegen.
statement-merge-into = Deze stelling zegt hetzelfde als
statement-merge-choose = Kies een stelling
statement-merge-submit = Samenvoegen
statement-edit-back = Terug naar de sessie
session-log-title = Logboek
session-log-intro = Wat de facilitators in deze sessie hebben gedaan, de oudste eerst.
session-log-empty = Er is nog niets vastgelegd.
session-log-someone = Een facilitator
session-log-text = Stelling
session-log-text-before = Tekst ervoor
session-log-text-after = Nieuwe tekst
session-log-text-duplicate = Dubbele stelling
session-log-text-kept = Blijft
session-log-created = { $who } heeft de sessie gemaakt.
session-log-phase-open = { $who } heeft de fase { $phase } geopend.
session-log-phase-pause = { $who } heeft de fase { $phase } gepauzeerd.
session-log-phase-close = { $who } heeft de fase { $phase } gesloten.
session-log-phase-reopen = { $who } heeft de fase { $phase } opnieuw geopend.
session-log-join-closed = { $who } heeft meedoen gesloten.
session-log-join-opened = { $who } heeft meedoen opengezet voor twee weken.
session-log-seed-added = { $who } heeft een startstelling toegevoegd.
session-log-statement-added = { $who } heeft een stelling toegevoegd.
session-log-accepted = { $who } heeft een stelling toegelaten.
session-log-rejected = { $who } heeft een stelling weggehaald.
session-log-edited = { $who } heeft een stelling aangepast.
session-log-merged = { $who } heeft een dubbele stelling samengevoegd.
session-log-ballot-added = { $who } heeft een stelling op de lijst voor prioriteren gezet.
session-log-ballot-removed = { $who } heeft een stelling van de lijst voor prioriteren gehaald.
session-log-ballot-frozen = { $n ->
    [one] De lijst voor prioriteren ligt vast, met 1 stelling.
   *[other] De lijst voor prioriteren ligt vast, met { $n } stellingen.
}
error-merge-same = Een stelling kan niet met zichzelf worden samengevoegd.
error-merge-other-session = Die stelling hoort niet bij deze sessie.
error-merge-already-merged = Deze stelling is al samengevoegd.
error-merge-target-merged = De stelling die je koos is zelf al samengevoegd. Kies de stelling die bleef.
error-merge-target-not-accepted = Kies een stelling die de deelnemers zien.
error-merge-chain = Er zijn al andere stellingen met deze samengevoegd. Voeg die liever samen met de stelling die je koos.
error-merge-choose = Kies de stelling die hetzelfde zegt.
error-ballot-frozen = De lijst voor prioriteren ligt al vast, want prioriteren is geopend.
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
# --- share (issue 9) ---
share-heading = Resultaten delen
share-intro = Maak een link waarmee deelnemers en anderen de resultaten kunnen bekijken, zonder account. Ze zien alleen de uitkomst, met dezelfde regel voor kleine groepen als hier. Ze zien geen namen, geen afgewezen stellingen en geen losse stemmen.
share-valid-for = Hoe lang werkt de link?
share-days = { $n ->
    [one] 1 dag
   *[other] { $n } dagen
}
share-create = Link maken
share-none = Je hebt nog geen link gemaakt.
share-links = Links naar de resultaten
share-created = Gemaakt
share-expires = Werkt tot
share-status = Status
share-revoke = Intrekken
share-created-title = Link naar de resultaten
share-created-text = Kopieer deze link en stuur hem rond. Iedereen met de link kan de resultaten bekijken, zonder account.
share-link = Link naar de resultaten
share-once = Je ziet deze link maar één keer. Kwijt? Maak dan een nieuwe en trek de oude in.
session = Sessie
shared-results-note = Je bekijkt de resultaten via een gedeelde link. Je kunt hier niets veranderen.
share-gone-title = Deze link werkt niet meer
share-revoked = De organisator heeft deze link ingetrokken. Vraag om een nieuwe link als je de resultaten wilt zien.
share-expired = Deze link is verlopen. Vraag om een nieuwe link als je de resultaten wilt zien.
audit-session-share-created = Link naar de resultaten gemaakt
audit-session-share-revoked = Link naar de resultaten ingetrokken
notice-share-revoked = De link is ingetrokken. Hij werkt nu niet meer.
error-dots-not-on-ballot = Je kunt alleen stippen zetten op de stellingen in de lijst. Er is niets opgeslagen.
audit-session-room-link = Schermlink voor de zaal gemaakt
audit-session-room-link-revoked = Schermlink voor de zaal ingetrokken
