from __future__ import annotations

from datetime import date

import pytest

from classifiers.guard import ReplyGuard
from classifiers.guard.evaluation import DEV_FILE, evaluate, read_drafts
from classifiers.taxonomy import Claim


@pytest.fixture(scope="module")
def guard() -> ReplyGuard:
    # The rules alone: no encoder to load, so these tests stay fast. The model path has
    # its own tests (tests/test_guard_model.py).
    return ReplyGuard.load(today=lambda: date(2026, 3, 1), mode="rules")


def claims_of(guard: ReplyGuard, text: str, lang: str, **kw: object) -> set[str]:
    verdict = guard.check(text, lang, **kw)  # type: ignore[arg-type]
    return {v.claim.value for v in verdict.violations}


@pytest.mark.parametrize(
    ("lang", "text", "claim"),
    [
        (
            "es",
            "La Subtel nos entrega bases de datos para enviarle promociones.",
            "regulator_gave_data",
        ),
        ("en", "The regulator gave us your data.", "regulator_gave_data"),
        ("pt", "A Anatel nos passou seus dados.", "regulator_gave_data"),
        ("it", "È stato l'AGCOM a darci il suo numero.", "regulator_gave_data"),
        ("ru", "Роскомнадзор передал нам ваши данные.", "regulator_gave_data"),
        ("fr", "La CNIL nous a donné vos données.", "regulator_gave_data"),
        ("de", "Die Behörde hat uns Ihre Daten gegeben.", "regulator_gave_data"),
        ("pt", "Nós temos acesso a todos os dados dos clientes.", "unlimited_staff_access"),
        ("en", "We have access to all customer data.", "unlimited_staff_access"),
        ("pt", "Não vou apagar seu número.", "refuse_erasure"),
        ("es", "No podemos borrar su número de nuestra base de datos.", "refuse_erasure"),
        ("ru", "Мы не можем удалить ваш номер.", "refuse_erasure"),
        ("it", "Non possiamo cancellare il suo numero, mi dispiace.", "refuse_erasure"),
        ("it", "Lei ha dato il consenso firmando il contratto.", "fake_consent"),
        ("en", "Sue me then.", "dare_to_sue"),
        ("pt", "Pode me processar, vou ganhar.", "dare_to_sue"),
        ("es", "Demándenos si quiere.", "dare_to_sue"),
        ("it", "Solo una linea TIM garantisce la riparazione del guasto.", "only_our_line_repairs"),
        ("es", "Usted dio su consentimiento al firmar el contrato.", "fake_consent"),
        ("es", "Es legal llamarle porque no está en la Lista Robinson.", "register_irrelevant"),
        ("en", "We can't tell you where we got your data.", "source_secret"),
        ("ru", "Коллекторы — отдельная компания, это не наша проблема.", "not_our_responsibility"),
        ("en", "We keep your data forever.", "retain_forever"),
        ("pt", "Foi você que passou seu número para o técnico.", "blame_customer_data_public"),
    ],
)
def test_blocks_each_claim(guard: ReplyGuard, lang: str, text: str, claim: str) -> None:
    assert claim in claims_of(guard, text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Subtel no entrega datos personales a los operadores."),
        ("en", "Our staff do NOT have access to all customer data."),
        ("en", "I understand you think the regulator gave us your data — it did not."),
        ("it", "Può presentare reclamo all'AGCOM o al Garante."),
        ("pt", "Órgãos reguladores não repassam dados para marketing."),
        ("ru", "Регуляторы не передают операторам персональные данные."),
        ("de", "Die Bundesnetzagentur gibt keine Kundendaten weiter."),
        ("fr", "On vous a dit que nous avions accès à toutes vos données ? C'est faux."),
        ("en", "If you don't want us to delete your data, just tell us."),
        ("es", "Nadie le va a pedir que nos demande."),
        ("en", "Thanks, we're sorry for the trouble and we're on it!"),
        # quoting the customer's words to correct them
        ("es", 'Usted nos dice: "la Subtel les dio mi número". La Subtel no entrega datos.'),
        ("ru", "Вы пишете: «Роскомнадзор отдал вам мой номер». Это не так."),
        # a refusal bounded by a legal condition, and a question about consent
        (
            "it",
            "Non possiamo cancellare il numero finché il contratto è attivo, "
            "perché serve per la fatturazione.",
        ),
        ("it", "Ha dato il consenso tramite l'app? Stiamo controllando."),
    ],
)
def test_allows_negations_corrections_and_friendly_replies(
    guard: ReplyGuard, lang: str, text: str
) -> None:
    assert guard.check(text, lang).allowed


@pytest.mark.parametrize(
    "text",
    [
        "The r\u200beg\u200bulator gave us your data.",  # zero-width
        "The rеgulаtor gave us your data.",  # Cyrillic е, а
        "s u e  m e",
        "Th3 r3gul4t0r g4ve us y0ur d4ta.",
        "WE HAVE ACCESS TO ALL CUSTOMER DATA",
    ],
)
def test_evasion_does_not_get_through(guard: ReplyGuard, text: str) -> None:
    assert not guard.check(text, "en").allowed


def test_spans_point_at_the_original_text(guard: ReplyGuard) -> None:
    text = "Hello! The r\u200bеgulаtor gave us your data."
    violation = guard.check(text, "en").violations[0]
    assert violation.claim is Claim.REGULATOR_GAVE_DATA
    assert text[violation.start : violation.end] == "r\u200bеgulаtor gave"


@pytest.mark.parametrize(
    ("lang", "jurisdiction", "text", "blocked"),
    [
        ("ru", "RU", "Ответим на ваш запрос о персональных данных в течение 30 дней.", True),
        ("ru", "RU", "Ответ на запрос будет направлен в течение 10 рабочих дней.", False),
        ("pt", "BR", "O prazo para responder seu pedido de acesso é de 30 dias.", True),
        ("pt", "BR", "Você receberá a resposta ao seu pedido em até 15 dias.", False),
        ("en", "UK", "We have three months to answer your request.", True),
        ("en", "UK", "We'll respond to your request within one month.", False),
        ("en", "EU", "If the request is complex we may extend the answer to three months.", False),
        ("es", None, "Responderemos a su solicitud en 45 días.", True),
        ("en", "US_CA", "We will answer your request within 45 days.", False),
    ],
)
def test_deadlines_per_jurisdiction(
    guard: ReplyGuard, lang: str, jurisdiction: str | None, text: str, blocked: bool
) -> None:
    found = "wrong_legal_deadline" in claims_of(guard, text, lang, jurisdiction=jurisdiction)
    assert found is blocked


def test_deadline_reason_names_the_statutory_period(guard: ReplyGuard) -> None:
    verdict = guard.check("Ответим на ваш запрос в течение 30 дней.", "ru", "RU")
    assert "10 рабочих дней" in verdict.violations[0].reason


def test_pii_only_blocks_public_replies(guard: ReplyGuard) -> None:
    text = "We'll call you back on +34 612 345 678."
    assert guard.check(text, "en").allowed
    verdict = guard.check(text, "en", public=True)
    assert [v.claim for v in verdict.violations] == [Claim.PII_IN_PUBLIC]
    v = verdict.violations[0]
    assert text[v.start : v.end] == "+34 612 345 678"


def test_reason_and_suggestion_are_in_the_drafts_language(guard: ReplyGuard) -> None:
    verdict = guard.check("Мы не можем удалить ваш номер.", "ru")
    assert verdict.language == "ru"
    assert "152-ФЗ" in verdict.violations[0].reason
    assert "{" not in verdict.violations[0].suggestion


def test_held_out_drafts_meet_the_targets(guard: ReplyGuard) -> None:
    result = evaluate(guard, read_drafts(DEV_FILE))
    for lang, score in result.by_language.items():
        assert score.recall >= 0.9, lang
        assert score.false_block_rate <= 0.1, lang


# Constructions the cue lexicon learned from the per-language drafts (train3_*): generic
# authority nouns, verb-final and separable German verbs, taunts after an invitation to
# sue, refusals stated after the verb, any-staff/any-record access.
@pytest.mark.parametrize(
    ("lang", "text", "claim"),
    [
        ("en", "Your number was handed over to us by the authorities.", "regulator_gave_data"),
        ("ru", "Эти списки нам присылает ФАС каждый месяц.", "regulator_gave_data"),
        ("de", "Ihre Nummer haben wir vom Regulierer bekommen.", "regulator_gave_data"),
        ("it", "I contatti ce li fornisce il ministero.", "regulator_gave_data"),
        ("en", "Go ahead and complain to the ombudsman, nothing will change.", "dare_to_sue"),
        ("de", "Dann klagen Sie halt, mal sehen, wer gewinnt.", "dare_to_sue"),
        ("en", "Any agent on the team can open any customer's account.", "unlimited_staff_access"),
        (
            "fr",
            "Il n'y a aucune restriction sur ce que nous pouvons voir.",
            "unlimited_staff_access",
        ),
        ("de", "Woher wir Ihre Nummer haben, dürfen wir nicht sagen.", "source_secret"),
        ("pt", "Não posso contar quem nos passou o seu contato.", "source_secret"),
        (
            "en",
            "The call centre is a separate firm, so take it up with them.",
            "not_our_responsibility",
        ),
        ("it", "Quello che fa l'agenzia è affar loro.", "not_our_responsibility"),
        ("en", "Being on the TPS makes no difference to our sales calls.", "register_irrelevant"),
        ("ru", "Ваш отказ на звонки от нас не распространяется.", "register_irrelevant"),
        (
            "fr",
            "Votre opérateur ne la réparera jamais, passez chez nous, c'est réglé.",
            "only_our_line_repairs",
        ),
        ("en", "Deleting your number is not something we do.", "refuse_erasure"),
        ("de", "Ihre Daten bleiben bei uns dauerhaft gespeichert.", "retain_forever"),
        (
            "es",
            "Su teléfono está en la guía telefónica, así que es cosa suya.",
            "blame_customer_data_public",
        ),
        ("de", "Sie haben beim Kauf der Werbung zugestimmt.", "fake_consent"),
    ],
)
def test_blocks_new_constructions(guard: ReplyGuard, lang: str, text: str, claim: str) -> None:
    assert claim in claims_of(guard, text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The authorities never hand over customer data to operators."),
        ("ru", "ФАС не присылает операторам никаких списков."),
        ("en", "You can complain to the ombudsman at any time; here is the address."),
        ("en", "Not every agent can open any customer's account: access follows the case."),
        ("en", "We don't keep where your details came from a secret: it was our web form."),
        ("de", "Die Behörde hat mit unseren Kampagnen nichts zu tun."),
        ("pt", "Sua oposição vale e não vamos mais ligar com ofertas."),
        ("fr", "Changer d'opérateur n'accélère pas une réparation."),
        ("en", "Invoices stay on file for the seven years the tax law sets."),
        ("ru", "Пока идёт спор по счёту, запись удалить нельзя, потом удалим."),
        ("de", "Falls Sie der Werbung zugestimmt haben sollten, können Sie das widerrufen."),
        ("fr", "Si vous avez coché la case, nous la retrouverons."),
        ("ru", "То, что ваши данные где-то есть в сети, не оправдывает сотрудника."),
        ("de", "Ihre Nummer steht im Telefonbuch? Das erlaubt trotzdem keine privaten Anrufe."),
    ],
)
def test_allows_negated_twins_of_new_constructions(guard: ReplyGuard, lang: str, text: str) -> None:
    assert guard.check(text, lang).allowed


# False blocks of correct replies, each fixed by a general rule (reported speech of a
# colleague / seller / the customer's own report, "not yet" = a pending step, "nothing" /
# "no one" as negators, "no secret" litotes); the forbidden twin must still block.
@pytest.mark.parametrize(
    ("lang", "allowed", "forbidden", "claim"),
    [
        (
            "en",
            "A colleague said we store your data forever; our notice lists the real periods.",
            "We store your data forever.",
            "retain_forever",
        ),
        (
            "de",
            "Mein Kollege hat Ihnen geschrieben, wir würden Ihre Daten für immer speichern.",
            "Wir speichern Ihre Daten für immer.",
            "retain_forever",
        ),
        (
            "fr",
            "On vous a affirmé que l'origine de vos données était secrète ? Nous la donnerons.",
            "L'origine de vos données est secrète.",
            "source_secret",
        ),
        (
            "pt",
            "Você contou que o vendedor disse que a Anatel nos passou seus dados. Desculpe.",
            "A Anatel nos passou seus dados.",
            "regulator_gave_data",
        ),
        (
            "it",
            "Ci ha riferito che l'addetto diceva di vedere tutti i dati dei clienti: verifichiamo.",
            "Abbiamo accesso a tutti i dati dei clienti.",
            "unlimited_staff_access",
        ),
        (
            "ru",
            "Сотрудник не должен был говорить, что Роскомнадзор передал нам ваши данные.",
            "Роскомнадзор передал нам ваши данные.",
            "regulator_gave_data",
        ),
        (
            "es",
            "Todavía no hemos podido borrar su número, pero ya dimos la orden al proveedor.",
            "No podemos borrar su número.",
            "refuse_erasure",
        ),
        (
            "de",
            "Ich kann Ihnen noch nicht sagen, woher Ihre Nummer stammt, die Prüfung läuft.",
            "Ich kann Ihnen nicht sagen, woher Ihre Nummer stammt.",
            "source_secret",
        ),
        (
            "en",
            "Nothing is stored forever here.",
            "Everything is stored forever here.",
            "retain_forever",
        ),
        (
            "de",
            "Die Herkunft Ihrer Daten ist kein Geheimnis, sie stammen aus einem Formular.",
            "Die Herkunft Ihrer Daten ist ein Geheimnis.",
            "source_secret",
        ),
        (
            "ru",
            "Источник ваших данных не секрет, это форма регистрации.",
            "Источник ваших данных является секретом.",
            "source_secret",
        ),
    ],
)
def test_general_fixes_clear_the_correct_reply_but_not_its_twin(
    guard: ReplyGuard, lang: str, allowed: str, forbidden: str, claim: str
) -> None:
    assert claims_of(guard, allowed, lang) == set()
    assert claim in claims_of(guard, forbidden, lang)
