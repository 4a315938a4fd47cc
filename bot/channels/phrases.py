"""The bot's own short interface phrases (commands, prompts) in the seven languages.

Case wording (acknowledgements, evidence questions, public redirects, closures) comes from
the playbook templates; these are only the words around the bot's commands.
"""

from __future__ import annotations

from classifiers.taxonomy import LANGUAGES

FALLBACK_LANGUAGE = "en"

PhraseKey = str

_PHRASES: dict[PhraseKey, dict[str, str]] = {
    "start": {
        "en": "Hello! This is the privacy care team. Tell us what happened in your own words "
        "and we will open a case. Commands: /status (your open cases), /forget (ask us to "
        "erase your data), /help.",
        "es": "¡Hola! Somos el equipo de privacidad. Cuéntanos qué ocurrió con tus palabras y "
        "abriremos un caso. Comandos: /status (tus casos abiertos), /forget (pedir que "
        "borremos tus datos), /help.",
        "pt": "Olá! Aqui é a equipa de privacidade. Conte-nos o que aconteceu e abriremos um "
        "caso. Comandos: /status (os seus casos abertos), /forget (pedir a eliminação dos "
        "seus dados), /help.",
        "it": "Ciao! Siamo il team privacy. Raccontaci cosa è successo e apriremo una "
        "pratica. Comandi: /status (le tue pratiche aperte), /forget (chiedere la "
        "cancellazione dei tuoi dati), /help.",
        "ru": "Здравствуйте! Это служба защиты персональных данных. Опишите, что произошло, "
        "и мы откроем обращение. Команды: /status (ваши открытые обращения), /forget "
        "(запрос на удаление ваших данных), /help.",
        "fr": "Bonjour ! Ici l'équipe vie privée. Décrivez ce qui s'est passé et nous "
        "ouvrirons un dossier. Commandes : /status (vos dossiers ouverts), /forget (demander "
        "l'effacement de vos données), /help.",
        "de": "Hallo! Hier ist das Datenschutz-Team. Schildern Sie, was passiert ist, und wir "
        "eröffnen einen Fall. Befehle: /status (Ihre offenen Fälle), /forget (Löschung Ihrer "
        "Daten beantragen), /help.",
    },
    "help": {
        "en": "Write your complaint as a normal message; photos and documents are kept as "
        "evidence. /status lists your open cases, /forget asks us to erase your data.",
        "es": "Escribe tu queja como un mensaje normal; las fotos y documentos se guardan como "
        "pruebas. /status muestra tus casos abiertos, /forget pide que borremos tus datos.",
        "pt": "Escreva a sua reclamação numa mensagem normal; fotos e documentos ficam como "
        "prova. /status mostra os seus casos abertos, /forget pede a eliminação dos dados.",
        "it": "Scrivi il tuo reclamo come un normale messaggio; foto e documenti vengono "
        "conservati come prove. /status elenca le pratiche aperte, /forget chiede la "
        "cancellazione dei dati.",
        "ru": "Опишите жалобу обычным сообщением; фото и документы сохраняются как "
        "доказательства. /status — ваши открытые обращения, /forget — запрос на удаление "
        "данных.",
        "fr": "Écrivez votre réclamation dans un message normal ; photos et documents sont "
        "gardés comme preuves. /status liste vos dossiers ouverts, /forget demande "
        "l'effacement de vos données.",
        "de": "Schreiben Sie Ihre Beschwerde als normale Nachricht; Fotos und Dokumente werden "
        "als Nachweis gespeichert. /status zeigt Ihre offenen Fälle, /forget beantragt die "
        "Löschung Ihrer Daten.",
    },
    "erasure_request": {
        "en": "I ask you to erase all my personal data (sent with /forget).",
        "es": "Solicito que borren todos mis datos personales (enviado con /forget).",
        "pt": "Peço que apaguem todos os meus dados pessoais (enviado com /forget).",
        "it": "Chiedo la cancellazione di tutti i miei dati personali (inviato con /forget).",
        "ru": "Прошу удалить все мои персональные данные (отправлено командой /forget).",
        "fr": "Je demande l'effacement de toutes mes données personnelles (envoyé avec /forget).",
        "de": "Ich beantrage die Löschung aller meiner personenbezogenen Daten (per /forget).",
    },
    "no_cases": {
        "en": "You have no open cases.",
        "es": "No tienes casos abiertos.",
        "pt": "Não tem casos abertos.",
        "it": "Non hai pratiche aperte.",
        "ru": "У вас нет открытых обращений.",
        "fr": "Vous n'avez aucun dossier ouvert.",
        "de": "Sie haben keine offenen Fälle.",
    },
    "open_cases": {
        "en": "Your open cases:",
        "es": "Tus casos abiertos:",
        "pt": "Os seus casos abertos:",
        "it": "Le tue pratiche aperte:",
        "ru": "Ваши открытые обращения:",
        "fr": "Vos dossiers ouverts :",
        "de": "Ihre offenen Fälle:",
    },
    "evidence_done": {
        "en": "Thank you, we have added this to your case {reference}.",
        "es": "Gracias, lo hemos añadido a tu caso {reference}.",
        "pt": "Obrigado, acrescentámos isto ao seu caso {reference}.",
        "it": "Grazie, lo abbiamo aggiunto alla tua pratica {reference}.",
        "ru": "Спасибо, мы добавили это к вашему обращению {reference}.",
        "fr": "Merci, nous l'avons ajouté à votre dossier {reference}.",
        "de": "Danke, wir haben das Ihrem Fall {reference} hinzugefügt.",
    },
    "file_received": {
        "en": "File received and kept as evidence for case {reference}.",
        "es": "Archivo recibido y guardado como prueba del caso {reference}.",
        "pt": "Ficheiro recebido e guardado como prova do caso {reference}.",
        "it": "File ricevuto e conservato come prova della pratica {reference}.",
        "ru": "Файл получен и сохранён как доказательство по обращению {reference}.",
        "fr": "Fichier reçu et conservé comme preuve du dossier {reference}.",
        "de": "Datei erhalten und als Nachweis für Fall {reference} gespeichert.",
    },
}


def pick_language(*candidates: str | None) -> str:
    """The first candidate that is one of our languages ("pt-br" counts as "pt")."""
    for candidate in candidates:
        if candidate:
            code = candidate.strip().lower().replace("_", "-").split("-")[0]
            if code in LANGUAGES:
                return code
    return FALLBACK_LANGUAGE


def phrase(key: PhraseKey, language: str, **values: str) -> str:
    """The phrase in `language` (English when we do not have it), with values filled in."""
    table = _PHRASES[key]
    text = table.get(language) or table[FALLBACK_LANGUAGE]
    return text.format(**values) if values else text
