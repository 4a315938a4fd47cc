# ruff: noqa: E501  (regex tables: one alternative per line reads better than wrapped strings)
"""Cue patterns per claim, all seven languages in one pattern (agents code-switch).

Patterns run on normalised text (classifiers.normalize: lower case, no accents, й→и,
ё→е, homoglyphs and leetspeak folded), so they are written without accents. They are
intent features: the guard combines a cue with negation scope, belief/denial frames and
a trained clause model before it blocks anything.

``polarity`` says whether the forbidden statement is itself negative ("we can't delete
your number"): for those the negator is part of the cue, and only an outer denial frame
("it is not true that…") clears it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from classifiers.taxonomy import Claim

Polarity = Literal["positive", "negative"]

# Everything inside one sentence: the gap between two cue parts never crosses . ! ? ; or a
# line break.
_GAP = r"[^.!?;\n]{0,%d}?"


def _strip_accents(pattern: str) -> str:
    decomposed = unicodedata.normalize("NFD", pattern)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


def near(first: str, second: str, gap: int = 60) -> str:
    """``first`` then ``second`` within ``gap`` characters of the same sentence."""
    return f"(?:{first}){_GAP % gap}(?:{second})"


def both(first: str, second: str, gap: int = 60) -> str:
    """``first`` and ``second`` in either order."""
    return f"(?:{near(first, second, gap)}|{near(second, first, gap)})"


W = r"\b"

NEGATORS = alt(
    r"\bno\b",
    r"\bnot\b",
    r"\bnever\b",
    r"\bnobody\b",
    r"\bnone\b",
    r"\bneither\b",
    r"\bnor\b",
    r"n['’]t\b",
    r"\bcannot\b",
    r"\bnao\b",
    r"\bnem\b",
    r"\bnunca\b",
    r"\bjamais\b",
    r"\bnenhum\w*",
    r"\bnon\b",
    r"\bmai\b",
    r"\bnessun\w*",
    r"\bni\b",
    r"\bjamas\b",
    r"\bningun\w*",
    r"\btampoco\b",
    r"\bn['’]",
    r"\bpas\b",
    r"\baucun\w*",
    r"\bnullement\b",
    r"\bnicht\b",
    r"\bkein\w*",
    r"\bnie\b",
    r"\bniemals\b",
    r"\bне\b",
    r"\bнет\b",
    r"\bникогда\b",
    r"\bни\b",
    r"\bникак\w*",
    r"\bничего\b",
    r"\bнельзя\b",
    r"\bnulla\b",
    r"\bnada\b",
    r"\brien\b",
    r"\bnichts\b",
    r"\bnadie\b",
    r"\bninguem\b",
    r"\bnessuno\b",
    r"\bникто\b",
    r"\bniemand\b",
    r"\bunable\b",
)

# --- vocabulary shared by several claims ---------------------------------------------

REGULATOR = alt(
    r"\bsubtel\b",
    r"\banatel\b",
    r"\bagcom\b",
    r"\bgarante\b",
    r"\baepd\b",
    r"\bcnmc\b",
    r"\bcnil\b",
    r"\barcep\b",
    r"\bofcom\b",
    r"\bfcc\b",
    r"\bftc\b",
    r"\bico\b",
    r"\banpd\b",
    r"\bsernac\b",
    r"\boaut\b",
    r"\bprocon\b",
    r"\bbundesnetzagentur\b",
    r"\bbnetza\b",
    r"\bbfdi\b",
    r"\bdatenschutzbehorde\b",
    r"\bregulierungsbehorde\b",
    r"\baufsichtsbehorde\b",
    r"\bbehorde\b",
    r"\bstaat\b",
    r"\bregierung\b",
    r"\broskomnadzor\b",
    r"\bроскомнадзор\w*",
    r"\bркн\b",
    r"\bминцифры\b",
    # The noun only: "регуляторного комплаенса" (regulatory compliance) is our own team.
    r"\bрегулятор(?:а|у|ом|е|ы|ов|ам|ами|ах)?\b",
    r"\bправительств\w*",
    r"\bгосударств\w*",
    r"\bведомств\w*",
    r"\bregula(?:dor|dora|tor|teur|tore)s?\b",
    r"\bregolatore\b",
    r"\bautorit(?:a|e|y)\b",
    r"\bautoridad\w*",
    r"\bautoridade\w*",
    r"\bgobierno\b",
    r"\bgoverno\b",
    r"\bgovernment\b",
    r"\bgouvernement\b",
    r"\bministeri\w*",
    r"\bministere\b",
    r"\bministry\b",
    r"\bregistro (?:pubblico )?delle opposizioni\b",
    r"\brpo\b",
    r"\blista robinson\b",
    r"\bnao me perturbe\b",
    r"\bno molestar\b",
    r"\btps\b",
    r"\borgao\w*",
    r"\borganismo\w*",
    r"\bente\b",
)

GIVE = alt(
    # en
    r"\bg[ai]ve[sn]?\b",
    r"\bprovided?s?\b",
    r"\bsold\b",
    r"\bsells?\b",
    r"\bshared?s?\b",
    r"\bpasse[sd]\b",
    r"\bsuppli(?:ed|es)\b",
    r"\bhand(?:ed|s)\b",
    r"\bsen[dt]s?\b",
    r"\bforward(?:ed|s)?\b",
    # es
    r"\bentreg\w+",
    r"\bnos (?:pas|di|da|dio|facilit|proporcion|cedi|vendi|envi|mand)\w*",
    r"\bpas(?:o|a|aron|an)\b",
    r"\bproporcion\w+",
    r"\bfacilit\w+",
    r"\bced(?:e|io|en|ieron)\b",
    r"\bvendi\w*",
    r"\bcompart\w+",
    # pt
    r"\b(?:re)?pass(?:ou|a|am|aram)\b",
    r"\bfornec\w+",
    r"\bdeu\b",
    r"\bderam\b",
    r"\bvendeu\b",
    r"\bcedeu\b",
    r"\benviou\b",
    r"\bcompartilh\w+",
    # it
    r"\bha dato\b",
    r"\bhanno dato\b",
    r"\b(?:ci|le|vi) (?:ha |hanno )?(?:dat|da|dann|fornit|fornisc|passat|pass|cedut|vendut|trasmess|trasmett|comunicat|inviat)\w*",
    r"\bfornit\w*",
    r"\bfornisc\w*",
    r"\bpassat\w*",
    r"\bcedut\w*",
    r"\bvendut\w*",
    r"\btrasmess\w*",
    r"\bcondivis\w*",
    r"\bdarci\b",
    # ru
    r"\bпереда\w+",
    r"\bдал[аи]?\b",
    r"\bдает\b",
    r"\bдают\b",
    r"\bпредостав\w+",
    r"\bпрода\w+",
    r"\bвыдал\w*",
    r"\bподелил\w+",
    r"\bприслал\w*",
    r"\bотдал\w*",
    # fr
    r"\b(?:a|ont|nous a|nous ont|vous a) (?:donne|fourni|transmis|vendu|communique|cede|passe|partage)\w*",
    r"\bfourni\w*",
    r"\btransm\w+",
    # Not donne\w*: "données" is the noun "data" once accents are stripped.
    r"\bdonn(?:e|es|ent|er|ez|ons|ait|aient|era|eront|erait)\b",
    r"\bvend\w*",
    r"\bcommuniqu\w*",
    # de
    r"\bgab\w*",
    r"\bgegeben\b",
    r"\bgibt\b",
    r"\bgeben\b",
    r"\bgeliefert\b",
    r"\bliefert\b",
    r"\bweitergegeben\b",
    r"\bverkauf\w*",
    r"\bubermittel\w*",
    r"\bbereitgestellt\b",
    r"\bzur verfugung gestellt\b",
    r"\buberlassen\b",
    r"\bgeteilt\b",
)

RECEIVE_FROM = alt(
    r"\b(?:got|obtained|received|bought|purchased|came|comes?|get|sourced)\b[^.!?;\n]{0,30}?\bfrom\b",
    r"\bthanks to\b",
    r"\b(?:obtuvimos|recibimos|conseguimos|sacamos|compramos|proviene[n]?|viene[n]?|llego|llegaron|obtenid[oa]s?|sacad[oa]s?)\b[^.!?;\n]{0,30}?\bde(?:l)?\b",
    r"\b(?:recebemos|obtivemos|conseguimos|compramos|vieram|vem|veio|obtid[oa]s?|pegamos)\b[^.!?;\n]{0,30}?\b(?:da|do|de|pel[ao])\b",
    r"\b(?:ricevut[oi]|ottenut[oi]|preso|pres[ie]|comprat[oi]|provien\w+|arriva\w*|venut[oi])\b[^.!?;\n]{0,30}?\b(?:da|dal|dalla|dall|dai)\b",
    r"\b(?:получил\w*|взял\w*|купил\w*|поступил\w*)\b[^.!?;\n]{0,30}?\b(?:от|из|у)\b",
    r"\b(?:obtenu\w*|recu\w*|achete\w*|provien\w+|vien\w*|eu)\b[^.!?;\n]{0,30}?\b(?:de|du|des|aupres)\b",
    r"\b(?:erhalten|bekommen|gekauft|stamm\w+|kommen|kam\w*)\b[^.!?;\n]{0,30}?\b(?:von|vom|aus)\b",
    r"\b(?:von|vom)\b[^.!?;\n]{0,40}?\b(?:erhalten|bekommen|gekauft)\b",
)

DATA = alt(
    r"\bdata\b",
    r"\bdatabases?\b",
    r"\bdetails\b",
    r"\binfo\w*",
    r"\bnumbers?\b",
    r"\bcontacts?\b",
    r"\blists?\b",
    r"\bdatos\b",
    r"\bbases? de datos\b",
    r"\bbases?\b",
    r"\bnumero\w*",
    r"\bcontact[oe]s?\b",
    r"\bdados\b",
    r"\bcontatos?\b",
    r"\bdati\b",
    r"\bcontatt\w+",
    r"\bliste?\b",
    r"\blista\w*",
    r"\bданн\w+",
    r"\bбаз\w+",
    r"\bномер\w*",
    r"\bконтакт\w*",
    r"\bсписк\w*",
    r"\bdonnees\b",
    r"\bcoordonnees\b",
    r"\bfichiers?\b",
    r"\bdaten\w*",
    r"\bnummer\w*",
    r"\bkontakt\w*",
    r"\btelefonnummer\w*",
)

DELETE = alt(
    r"\bdelet\w*",
    r"\beras\w*",
    r"\bremov\w*",
    r"\bwipe\w*",
    r"\bbor?r(?:ar|amos|arlo|arla|en|ado|ados|e)\b",
    r"\belimin\w+",
    r"\bsuprim\w+",
    r"\bquitar\w*",
    r"\bsacar(?:le|lo|la)?\b",
    r"\bdar de baja\b",
    r"\bapag\w+",
    r"\bexclu\w+",
    r"\bremov\w+",
    r"\btir\w+",
    r"\bcancell\w+",
    r"\bcancel\w*",
    r"\brimuov\w+",
    r"\btogli\w*",
    r"\bunsubscrib\w*",
    r"\bудал\w+",
    r"\bуничтож\w+",
    r"\bстер\w+",
    r"\bисключ\w+",
    r"\bубра\w+",
    r"\bsupprim\w+",
    r"\beffac\w+",
    r"\bretir\w+",
    r"\blosch\w+",
    r"\bentfern\w+",
    r"\bstreich\w+",
)

MODAL = alt(
    r"\bcan\b",
    r"\bcould\b",
    r"\bable\b",
    r"\bpossible\b",
    r"\ballowed\b",
    r"\bgoing\b",
    r"\bwill\b",
    r"\bwon['’]t\b",
    r"\bpodemos\b",
    r"\bpuedo\b",
    r"\bpodem\w*",
    r"\bposso\b",
    r"\bvamos\b",
    r"\bvou\b",
    r"\bvai\b",
    r"\bpossibile\b",
    r"\bposs\w+",
    r"\bpotremo\b",
    r"\bpuo\b",
    r"\bpossible\b",
    r"\bpeu\w*",
    r"\bpouvons\b",
    r"\bpourrons\b",
    r"\bkonn\w+",
    r"\bdurf\w+",
    r"\bwerden\b",
    r"\bmoglich\b",
    r"\bможем\b",
    r"\bмогу\b",
    r"\bбудем\b",
    r"\bстанем\b",
    r"\bвозможно\b",
    r"\bполучится\b",
)

STAFF = alt(
    r"\bwe\b",
    r"\ba gente\b",
    r"\bi\b",
    r"\bstaff\b",
    r"\bemployees?\b",
    r"\bagents?\b",
    r"\bteam\b",
    r"\bnosotros\b",
    r"\btenemos\b",
    r"\btengo\b",
    r"\bempleados\b",
    r"\bagentes\b",
    r"\bnos\b",
    r"\btemos\b",
    r"\btenho\b",
    r"\bfuncionarios\b",
    r"\bcolaboradores\b",
    r"\babbiamo\b",
    r"\bho\b",
    r"\bdipendenti\b",
    r"\boperatori\b",
    r"\bmy\b",
    r"\bу нас\b",
    r"\bу меня\b",
    r"\bмы\b",
    r"\bя\b",
    r"\bсотрудник\w*",
    r"\bоператор\w*",
    r"\bnous\b",
    r"\bj['’]ai\b",
    r"\bavons\b",
    r"\bemployes\b",
    r"\bconseillers\b",
    r"\bwir\b",
    r"\bich\b",
    r"\bmitarbeiter\w*",
)

ACCESS = alt(
    r"\baccess\w*",
    r"\bsee\b",
    r"\bview\b",
    r"\blook up\b",
    r"\bacceso\b",
    r"\bacces\w*",
    r"\bacesso\b",
    r"\baccesso\b",
    r"\bver\b",
    r"\bvemos\b",
    r"\bvejo\b",
    r"\bvedere\b",
    r"\bvediamo\b",
    r"\bvedo\b",
    r"\bдоступ\w*",
    r"\bвид\w+",
    r"\bvoir\b",
    r"\bvoyons\b",
    r"\bzugriff\w*",
    r"\bzugang\b",
    r"\bsehen\b",
    r"\beinsehen\b",
    r"\beinblick\b",
)

ALL_DATA = alt(
    r"\ball\b[^.!?;\n]{0,25}?\b(?:data|details|information|info|records?|accounts?|customers?|clients?)\b",
    r"\beverything\b",
    r"\beverybody['’]s\b",
    r"\bany customer['’]?s?\b",
    r"\btod[oa]s? (?:l[oa]s |o[s]? |a[s]? )?(?:datos|dados|informac\w+|clientes|registros|cuentas|contas)\b",
    r"\btodo\b",
    r"\btudo\b",
    r"\btutt[ie]? (?:i |gli |le )?(?:dati|informazioni|clienti|contatti|utenti)\b",
    r"\btutto\b",
    r"\bвсе[мх]? (?:данн\w+|информац\w+|клиент\w+|абонент\w+|номер\w*)\b",
    r"\bвсе\b",
    r"\bвсему\b",
    r"\btout\b",
    r"\btoutes? (?:les )?(?:donnees|informations|clients|coordonnees)\b",
    r"\balle\w* (?:daten|kundendaten|informationen|kunden)\b",
    r"\balles\b",
)


@dataclass(frozen=True, slots=True)
class ClaimCue:
    claim: Claim
    polarity: Polarity
    pattern: re.Pattern[str]


def _compile(*parts: str) -> re.Pattern[str]:
    return re.compile(_strip_accents("|".join(f"(?:{p})" for p in parts)))


_REGULATOR_GAVE = _compile(
    both(REGULATOR, GIVE, 50),
    near(RECEIVE_FROM, REGULATOR, 40),
    near(
        REGULATOR,
        r"\b(?:is|es|e|ist|est|это)\b[^.!?;\n]{0,20}?\b(?:source|fuente|fonte|quelle|источник)\b",
        30,
    ),
    near(
        r"\b(?:source|fuente|fonte|quelle|источник\w*|provenance|origen|origem|origine)\b",
        REGULATOR,
        40,
    ),
    near(r"\b(?:gracias a|grazie a|grace a|dank|благодаря)\b", REGULATOR, 10),
)

_UNLIMITED_ACCESS = _compile(
    near(ACCESS, ALL_DATA, 40),
    near(
        ACCESS,
        r"\b(?:complet[oa]|total|ilimitad[oa]|totale|полн\w+|complet|vollstandig\w*)\b[^.!?;\n]{0,40}?\b(?:tod[oa]s|tutt[ie]|всех|tous|toutes|alle\w*)\b",
        10,
    ),
    near(ALL_DATA, ACCESS, 30),
    near(
        STAFF,
        r"\b(?:see|know|sabemos|sabemos todo|vemos|ve|vejo|sappiamo|знаем|видим|savons|voyons|sehen|wissen)\b[^.!?;\n]{0,15}?\b(?:everything|todo|tudo|tutto|все|tout|alles)\b",
        20,
    ),
    near(
        r"\b(?:unlimited|full|complete|total|ilimitado|ilimitada|completo|illimitato|completo|totale|полн\w+|неограниченн\w+|illimite|complet|uneingeschrankt\w*|vollen|vollstandig\w*)\b",
        ACCESS,
        20,
    ),
    near(
        ACCESS,
        r"\b(?:unlimited|ilimitado|illimitato|неограниченн\w+|illimite|uneingeschrankt)\b",
        20,
    ),
    near(
        ACCESS,
        r"\b(?:sin (?:limite|restriccion)\w*|sem (?:limite|restric)\w*|senza (?:limit|restrizion)\w*|без ограничени\w*|sans (?:limite|restriction)\w*|ohne (?:einschrankung|grenze)\w*)",
        40,
    ),
)

# "if you don't want us to delete…", "don't hesitate to ask us to delete…" are not refusals.
_NOT_WANTING = (
    r"(?!(?:\s+[\w'’-]+){0,2}?\s+(?:want|wish|hesitate|forget|quier\w*|dud\w*|olvid\w*|quer\w*"
    r"|hesit\w*|esque\w*|vuol\w*|esit\w*|dimentic\w*|хотите|хочет\w*|забудьте|стесняйтесь"
    r"|voul\w*|hesit\w*|oubli\w*|woll\w*|zoger\w*|vergess\w*)\b)"
)

_REFUSE_ERASURE = _compile(
    NEGATORS + _NOT_WANTING + r"(?:\s+[\w'’-]+){0,3}?\s+" + DELETE,
    near(r"\b(?:impossible|imposible|impossivel|impossibile|невозможно|unmoglich)\b", DELETE, 40),
    near(
        DELETE,
        r"\b(?:impossible|imposible|impossivel|impossibile|невозможно|unmoglich|not possible|no es posible|nao e possivel|non e possibile|nicht moglich)\b",
        30,
    ),
    r"\b(?:refus\w+|decline|rechaz\w+|recus\w+|rifiut\w+|отказ\w+|ablehn\w+)\b[^.!?;\n]{0,40}?"
    + DELETE,
)

# "Your number stays in our system" is a refusal stated positively: a negator clears it
# ("…não vai ficar no nosso sistema para sempre").
_STAYS_IN_SYSTEM = _compile(
    near(
        r"\b(?:stays?|remains?|permanec\w+|queda\w*|fica\w*|rimane|rester?a|bleib\w*|останется|останутся|остается)\b",
        r"\b(?:in|en|no|na|nel|nella|dans|в)\b[^.!?;\n]{0,15}?\b(?:system|database|base|sistema|системе|базе|systeme)\b",
        40,
    ),
)

_ONLY_OUR_LINE = _compile(
    near(
        r"\b(?:only|solo|solamente|unicamente|so|somente|apenas|soltanto|solo|только|lish|seul\w*|uniquement|nur)\b",
        r"\b(?:line|linea|linha|линия|линии|ligne|leitung|anschluss|network|red|rede|rete|сеть|reseau|netz)\b[^.!?;\n]{0,60}?\b(?:repair|fix|guarantee|garantiz|repar\w*|arregl\w*|conserta\w*|garant\w*|ripar\w*|risolv\w*|почин\w*|ремонт\w*|гарант\w*|устран\w*|repar\w*|behob\w*|repariert\w*|garantiert\w*)",
        30,
    ),
    near(
        r"\b(?:switch|move|come|change|cambi\w*|pase\w*|pasate|mude|migre|troque|passi|passa|passare|переходите|перейдите|перейти|passez|changez|wechseln|wechsel)\b",
        r"\b(?:fix\w*|repair\w*|solv\w*|resolv\w*|repar\w*|arregl\w*|solucion\w*|conserta\w*|ripar\w*|risolv\w*|почин\w*|устран\w*|решит\w*|regl\w*|behob\w*|gelost|losen)\b",
        60,
    ),
    near(
        r"\b(?:your|su|seu|sua|suo|ваш\w*|votre|ihr\w*)\b[^.!?;\n]{0,20}?\b(?:operator|provider|operador|operadora|gestore|operatore|оператор\w*|operateur|fournisseur|anbieter)\b",
        r"\b(?:cut|interrupt\w*|suspend\w*|cortar\w*|interromp\w*|отключ\w*|couper|coupera|abschalt\w*|sperr\w*|raise|aumentar\w*|sub\w+ (?:precios|tarifas)|aumentera|augmente\w*|rais\w*|повыс\w*|erhoh\w*)",
        60,
    ),
    near(
        r"\b(?:fault|ticket|guasto|avería|averia|defeito|avaria|неисправност\w*|panne|storung)\b",
        r"\b(?:other operator|otro operador|outro operador|altro operatore|другого оператора|autre operateur|anderen anbieter)\b[^.!?;\n]{0,40}?\b(?:offer|oferta|offerta|предлож|offre|angebot)",
        60,
    ),
)

_FAKE_CONSENT = _compile(
    r"\b(?:you|u)\b[^.!?;\n]{0,15}?\b(?:consented|agreed|accepted|authori[sz]ed|opted in|signed up|gave (?:us )?(?:your )?(?:consent|permission))\b",
    r"\b(?:your|the) (?:consent|permission)\b[^.!?;\n]{0,30}?\b(?:contract|signed|terms|signup|registration)\b",
    r"\b(?:usted|tu|ud)?\b[^.!?;\n]{0,5}?\b(?:acepto|consintio|autorizo|dio (?:su )?(?:consentimiento|permiso|autorizacion)|firmo|acepta)\b",
    r"\b(?:voce|tu)?\b[^.!?;\n]{0,5}?\b(?:autorizou|aceitou|consentiu|concordou|deu (?:seu |o )?(?:consentimento|autorizacao))\b",
    r"\b(?:lei )?(?:ha|hai) (?:dato|prestato|fornito) (?:il )?(?:suo |tuo )?(?:consenso|autorizzazione)\b",
    r"\b(?:ha|hai) (?:accettato|autorizzato|acconsentito)\b",
    r"\bвы\b[^.!?;\n]{0,15}?\b(?:дали согласие|согласились|дали разрешение|подписали согласие|разрешили|сами согласились)\b",
    r"\bсогласие\b[^.!?;\n]{0,20}?\b(?:дали|подписали|есть)\b",
    r"\bvous\b[^.!?;\n]{0,15}?\b(?:avez (?:donne (?:votre )?(?:consentement|accord)|consenti|accepte|autorise))\b",
    r"\bsie\b[^.!?;\n]{0,20}?\b(?:haben|hatten)\b[^.!?;\n]{0,30}?\b(?:eingewilligt|zugestimmt|eingeverstanden|einverstanden|akzeptiert|eingewilligt|ihre einwilligung gegeben|erlaubt)\b",
    r"\b(?:einwilligung|zustimmung)\b[^.!?;\n]{0,30}?\b(?:gegeben|erteilt|unterschrieben|vertrag)\b",
    r"\b(?:consentimiento|consentimento|consenso|consentement|согласие)\b[^.!?;\n]{0,40}?\b(?:contrato|contratto|contrat|договор\w*|firm\w*|assin\w*|firmat\w*|signe\w*|подпис\w*)\b",
)

_REGISTER_IRRELEVANT = _compile(
    near(
        r"\b(?:legal|lawful|allowed|legit\w*|licito|licita|lecito|permitido|consentito|законно|можем звонить|legale|autorise|erlaubt|zulassig|rechtmassig)\b",
        r"\b(?:not|no|nao|non|не|pas|nicht)\b[^.!?;\n]{0,30}?\b(?:registered|register|list|inscrit[oa]?|registro|registrad[oa]|lista|liste|iscritt[oa]|реестр\w*|списк\w*|eingetragen|robinson|perturbe|molestar|tps)\b",
        80,
    ),
    near(
        r"\b(?:not|no|nao|non|не|pas|nicht)\b[^.!?;\n]{0,30}?\b(?:registered|register|list|inscrit[oa]?|registro|registrad[oa]|lista|liste|iscritt[oa]|реестр\w*|списк\w*|eingetragen|robinson|perturbe|molestar|tps)\b",
        r"\b(?:legal|lawful|allowed|legit\w*|licito|licita|lecito|permitido|consentito|законно|podemos (?:ligar|llamar)|possiamo chiamar\w*|можем звонить|legale|autorise|pouvons (?:vous )?appeler|durfen|erlaubt|zulassig|quanto quisermos|as (?:much|often) as)\b",
        80,
    ),
    near(
        r"\b(?:register|registry|list|registro|lista|liste|реестр\w*|список|robinson|perturbe|molestar|tps|opposizioni|bloctel)\b",
        r"\b(?:doesn['’]t (?:matter|apply)|does not (?:matter|apply)|irrelevant|no (?:importa|aplica|sirve|vale)|nao (?:importa|vale|se aplica|adianta)|non (?:conta|vale|importa|si applica|serve)|не (?:важен|важно|имеет значения|действует|распространяется)|ne (?:compte|s['’]applique) pas|n['’]a aucune importance|spielt keine rolle|gilt nicht|egal)",
        60,
    ),
    near(
        r"\b(?:even though|although|despite|aunque|a pesar de|mesmo que|embora|apesar d\w|anche se|nonostante|sebbene|хотя|несмотря|meme si|bien que|malgre|obwohl|auch wenn|trotz)\b[^.!?;\n]{0,60}?\b(?:objected|opted out|opposed|opus\w+|opos\w+|oppost\w+|возраз\w+|отказал\w+|oppose\w*|widersproch\w*|registered|inscri\w+|iscritt\w+|registr\w+|зарегистр\w+|eingetragen)",
        r"\b(?:keep|continue|still|seguir\w*|segui\w+|continu\w+|продолж\w+|будем|weiter\w*)\b[^.!?;\n]{0,30}?\b(?:call|llam|ligar|ligando|chiam|звон|appel|anruf|anzuruf|contact)\w*",
        80,
    ),
    near(
        r"\b(?:because|since|as|porque|pois|ja que|perche|poiche|так как|потому что|поскольку|parce que|puisque|car|weil|da)\b[^.!?;\n]{0,20}?\b(?:you are|you['’]re|es|e|sei|вы|vous etes|sie sind)\b[^.!?;\n]{0,20}?\b(?:customer|client\w*|cliente|клиент\w*|abonne\w*|kunde\w*|abonent\w*|абонент\w*)\b",
        r"\b(?:call|llam|ligar|chiam|звон|appel|anruf|contact|marketing|ofert|offert|предлож)\w*",
        60,
    ),
    near(
        r"\b(?:call|llam|ligar|chiam|звон|appel|anruf|contact)\w*",
        r"\b(?:because|since|porque|pois|perche|так как|потому что|parce que|car|weil)\b[^.!?;\n]{0,20}?\b(?:you are|you['’]re|es (?:nuestro )?cliente|e (?:nosso )?cliente|e (?:nostro )?cliente|вы (?:наш )?клиент|vous etes (?:notre )?client|sie (?:unser )?kunde)",
        60,
    ),
)

_SOURCE_SECRET = _compile(
    near(
        NEGATORS,
        r"\b(?:tell|say|disclose|reveal|share|explain|decir|revelar|informar|indicar|dizer|contar|informar|dire|rivelare|comunicare|indicare|сказать|сообщить|раскрыть|назвать|dire|reveler|indiquer|communiquer|sagen|mitteilen|nennen|verraten|offenlegen)\w*\b[^.!?;\n]{0,50}?\b(?:where|how|source|origin|donde|de donde|como|fuente|origen|onde|de onde|fonte|origem|dove|da dove|come|fonte|origine|откуда|источник\w*|ou|d['’]ou|provenance|source|woher|wo|quelle|herkunft)\b",
        60,
    ),
    near(
        r"\b(?:source|origin|where we got|fuente|origen|de donde|fonte|origem|de onde|provenienza|da dove|origine|источник\w*|откуда|provenance|d['’]ou|quelle|herkunft|woher)\b",
        r"\b(?:confidential|secret|private|internal|classified|confidencial|secreto|secreta|reservad[oa]|sigilos[oa]|interno|interna|riservat[oa]|segret[oa]|конфиденциальн\w+|секрет\w*|тайн\w*|внутренн\w+|confidentiel\w*|secret\w*|vertraulich\w*|geheim\w*|intern\w*)\b",
        60,
    ),
    near(
        r"\b(?:confidential|secret|confidencial|secreto|sigilos[oa]|riservat[oa]|segret[oa]|конфиденциальн\w+|секрет\w*|тайн\w*|confidentiel\w*|vertraulich\w*|geheim\w*)\b",
        r"\b(?:source|origin|fuente|origen|fonte|origem|provenienza|origine|источник\w*|provenance|quelle|herkunft)\b",
        40,
    ),
    near(
        r"\b(?:not (?:allowed|authori[sz]ed|permitted)|no (?:estamos autorizados|podemos)|nao (?:podemos|estamos autorizados)|non (?:possiamo|siamo autorizzati)|не (?:можем|вправе|имеем права)|ne (?:pouvons|sommes) pas|durfen (?:wir )?(?:ihnen )?nicht|konnen (?:wir )?(?:ihnen )?nicht)\b",
        r"\b(?:source|fuente|origen|fonte|origem|provenienza|origine|источник\w*|откуда|provenance|quelle|herkunft|woher|de donde|de onde|da dove|d['’]ou)\b",
        60,
    ),
)

_THIRD_PARTY = alt(
    r"\bcollect\w*",
    r"\bagenc\w*",
    r"\bcall ?cent\w*",
    r"\bcontractor\w*",
    r"\bthird[- ]part\w*",
    r"\bexternal\b",
    r"\bseparate\b",
    r"\bpartner\w*",
    r"\bvendor\w*",
    r"\bsubcontract\w*",
    r"\btechnician\w*",
    r"\binstaller\w*",
    r"\bemployee\w*",
    r"\bcobranza\b",
    r"\bcobrador\w*",
    r"\bagencia\w*",
    r"\bempresa\w*",
    r"\bextern[oa]s?\b",
    r"\bterceir\w*",
    r"\bterceros?\b",
    r"\btecnico\w*",
    r"\bcontratist\w*",
    r"\bproveedor\w*",
    r"\bcobranca\b",
    r"\bassessoria\b",
    r"\bparceir\w*",
    r"\bfornecedor\w*",
    r"\bfuncionari\w*",
    r"\bempregad\w*",
    r"\brecupero crediti\b",
    r"\bsociet\w*",
    r"\bditta\b",
    r"\besterno\b",
    r"\bfornitor\w*",
    r"\bdipendent\w*",
    r"\bcollettor\w*",
    r"\bколлектор\w*",
    r"\bагентств\w*",
    r"\bкомпани\w*",
    r"\bподрядчик\w*",
    r"\bпартн[её]р\w*",
    r"\bсотрудник\w*",
    r"\bмастер\w*",
    r"\bтехник\w*",
    r"\bcentre d['’]appel\w*",
    r"\brecouvrement\b",
    r"\bsous-traitan\w*",
    r"\bprestataire\w*",
    r"\bsociete\w*",
    r"\bexterne\w*",
    r"\binkasso\w*",
    r"\bdienstleister\w*",
    r"\bfirma\b",
    r"\bpartnerfirma\b",
    r"\bsubunternehm\w*",
    r"\bextern\w*",
    r"\btechniker\w*",
)

_NOT_OURS = alt(
    r"\bnot (?:our|my) (?:problem|responsibility|fault|business|concern|issue)\b",
    r"\bnothing to do with us\b",
    r"\bnot responsible\b",
    r"\bno responsibility\b",
    r"\bnot (?:liable|accountable)\b",
    r"\bno es (?:nuestro|mi) (?:problema|asunto|responsabilidad)\b",
    r"\bno es responsabilidad\b",
    r"\bno somos responsables\b",
    r"\bno (?:tenemos|tiene) (?:nada que ver|responsabilidad)\b",
    r"\bnao (?:e|eh) (?:nosso|meu) (?:problema)\b",
    # "responsabilidad nuestra" on its own is an admission; only its negation is the claim.
    r"\b(?:no|nao|non|n['’])\b[^.!?;\n]{0,20}?\b(?:responsabilidade|responsabilidad|responsabilita|responsabilite|problema|probleme) (?:nossa|nosso|nuestra|nuestro|nostra|nostro|notre)\b",
    r"\bnao (?:e|eh) (?:nossa|minha) (?:responsabilidade|culpa)\b",
    r"\bnao (?:somos|e) responsave\w+\b",
    r"\bnao (?:tem|temos) (?:nada a ver|responsabilidade)\b",
    r"\b(?:a )?empresa nao tem responsabilidade\b",
    r"\bnon (?:e|sono) (?:un )?(?:nostro|mio) (?:problema)\b",
    r"\bnon (?:e|sono) (?:nostra|mia) (?:responsabilita|colpa)\b",
    r"\bnon (?:dipende|dipendono) da noi\b",
    r"\bnon siamo responsabili\b",
    r"\bnon (?:ci riguarda|abbiamo (?:nessuna )?responsabilita)\b",
    r"\bне наша (?:проблема|ответственность|вина|забота)\b",
    r"\bне наши проблемы\b",
    r"\bмы (?:за (?:это|них) )?не (?:отвечаем|несем ответственност\w*)\b",
    r"\bне отвечаем\b",
    r"\bне имеем (?:к этому )?(?:никакого )?отношения\b",
    r"\bnous n['’]y sommes pour rien\b",
    r"\b(?:ce )?n['’]est pas (?:notre|mon) (?:probleme|responsabilite|faute)\b",
    r"\bnous ne sommes pas responsables\b",
    r"\bne (?:nous )?concerne pas\b",
    r"\bnicht unser(?:e)? (?:problem|verantwortung|schuld|sache)\b",
    r"\bnicht (?:unser|mein) problem\b",
    r"\bwir sind (?:dafur )?nicht (?:verantwortlich|zustandig|haftbar)\b",
    r"\bnicht verantwortlich\b",
    r"\bhaben (?:damit )?nichts (?:damit )?zu tun\b",
    r"\bkeine verantwortung\b",
)

_NOT_OUR_RESPONSIBILITY = _compile(
    both(_THIRD_PARTY, _NOT_OURS, 80),
    _NOT_OURS,
    near(
        r"\b(?:can['’]?t|cannot|no podemos|nao podemos|non possiamo|не можем|ne pouvons pas|konnen nicht|konnen wir nicht)\b[^.!?;\n]{0,40}?\b(?:lists?|listas?|liste|списк\w*)\b",
        r"\b(?:depends? on|depende d\w*|dipende da\w*|зависит от|depend d\w*|hangt von)\b[^.!?;\n]{0,30}?"
        + _THIRD_PARTY,
        60,
    ),
)

_RETAIN_FOREVER = _compile(
    near(
        r"\b(?:keep|store|retain|hold|save|kept|stored|retained|conserv\w+|guard\w+|almacen\w+|mantene\w+|mantem\w*|armazen\w+|manten\w+|tratten\w+|хран\w+|сохран\w+|garder|gardons|garde|stock\w+|speicher\w+|aufbewahr\w+|behalt\w+)\b",
        r"\b(?:forever|for ever|indefinitely|permanently|for good|for life|para siempre|indefinidamente|por tiempo indefinido|permanentemente|sin (?:limite|plazo)|para sempre|por tempo indeterminado|sem prazo|per sempre|a tempo indeterminato|senza (?:limiti|scadenza)|навсегда|бессрочно|вечно|бесконечно|pour toujours|indefiniment|sans limite de (?:temps|duree)|a vie|fur immer|unbefristet|dauerhaft|unbegrenzt|auf unbestimmte zeit|ewig)\b",
        60,
    ),
    near(
        r"\b(?:forever|indefinitely|permanently|para siempre|indefinidamente|para sempre|per sempre|навсегда|бессрочно|pour toujours|indefiniment|fur immer|unbefristet|unbegrenzt)\b",
        r"\b(?:keep|store|retain|kept|stored|conserv\w+|guard\w+|armazen\w+|хран\w+|сохран\w+|garder|gardons|speicher\w+|aufbewahr\w+)\b",
        40,
    ),
)

_DARE_TO_SUE = _compile(
    r"\bsue (?:me|us)\b",
    r"\b(?:go ahead and|feel free to|you can) (?:sue|take us to court|report us)\b",
    r"\btake (?:me|us) to court\b",
    r"\bsee (?:you|u) in court\b",
    r"\byou(?:['’]ll| will) (?:never|not) win\b",
    r"\bwe(?:['’]ll| will) win\b[^.!?;\n]{0,20}?\b(?:case|court|lawsuit)\b",
    # Not bare "demande"/"demanda": French "votre demande" and Portuguese "demanda" are requests.
    r"\bdemand(?:enos|eme|anos)\b",
    r"\b(?:nos|me) demand(?:e|en|a)\b",
    r"\bvaya (?:a )?(?:juicio|los tribunales|al juzgado)\b",
    r"\bnos vemos en (?:el juzgado|los tribunales|juicio)\b",
    r"\bno va a ganar\b",
    r"\bprocess(?:e|a|em)[- ]?(?:me|nos)\b",
    r"\b(?:pode|podem) (?:me |nos )?processar\b",
    r"\bvai (?:la|na justica)\b",
    r"\bvou ganhar\b",
    r"\bnos vemos na justica\b",
    r"\b(?:ci|mi) faccia causa\b",
    r"\bfacci(?:a|amo)? causa\b",
    r"\b(?:ci|mi) denunci\w*\b",
    r"\bci vediamo in tribunale\b",
    r"\bnon vincera\b",
    r"\bподавайте в суд\b",
    r"\b(?:подайте|подавай|подай)\b[^.!?;\n]{0,15}?\bв суд\b",
    r"\bсудитесь\b",
    r"\bувидимся в суде\b",
    r"\bвсе равно проиграете\b",
    r"\bне выиграете\b",
    r"\b(?:attaquez|poursuivez)[- ](?:nous|moi)\b",
    r"\b(?:portez|porter) plainte\b[^.!?;\n]{0,20}?\b(?:si vous voulez|allez-y|on s['’]en fiche)\b",
    r"\bon se verra au tribunal\b",
    r"\bvous ne gagnerez pas\b",
    r"\b(?:verklagen|verklag) sie (?:uns|mich)\b",
    r"\bverklagen sie uns doch\b",
    r"\bwir sehen uns vor gericht\b",
    r"\bsie werden (?:nie|nicht) gewinnen\b",
    r"\bgehen sie (?:doch )?vor gericht\b",
    r"\bklagen sie doch\b",
)

_BLAME_CUSTOMER = _compile(
    r"\b(?:you|it was you who|you yourself)\b[^.!?;\n]{0,20}?\b(?:gave|posted|published|shared|handed|put)\b[^.!?;\n]{0,30}?\b(?:your )?(?:number|data|details|information|address|phone)\b",
    r"\byour (?:number|data|details|information) (?:is|are|was|were) (?:already )?(?:public|online|on the internet|everywhere|out there|publicly available)\b",
    r"\b(?:your own )?fault\b[^.!?;\n]{0,20}?\b(?:for|since|because)\b[^.!?;\n]{0,30}?\b(?:sharing|posting|giving|publishing)\b",
    r"\b(?:fue usted|usted mism[oa]|usted)\b[^.!?;\n]{0,20}?\b(?:dio|paso|publico|compartio|entrego|facilito)\b[^.!?;\n]{0,30}?\b(?:su )?(?:numero|datos|telefono|direccion|contacto)\b",
    r"\bsus (?:datos|numero) (?:ya )?(?:son|es|estan|esta) (?:public[oa]s?|en internet|en la red)\b",
    r"\b(?:foi (?:voce|vc) que(?:m)?|voce mesm[oa]|voce)\b[^.!?;\n]{0,20}?\b(?:passou|deu|publicou|compartilhou|divulgou|forneceu)\b[^.!?;\n]{0,30}?\b(?:seu |o )?(?:numero|dados|telefone|contato|endereco)\b",
    r"\bseus? (?:dados|numero) (?:ja )?(?:sao|e|estao|esta) (?:public[oa]s?|na internet)\b",
    r"\b(?:e stato lei|e stata lei|lei stess[oa]|lei)\b[^.!?;\n]{0,20}?\b(?:ha dato|ha pubblicato|ha condiviso|ha fornito|ha passato)\b[^.!?;\n]{0,30}?\b(?:il suo |i suoi )?(?:numero|dati|contatto|indirizzo)\b",
    r"\bi suoi (?:dati|numeri?) (?:sono|e) (?:gia )?(?:pubblic[io]|su internet|online)\b",
    r"\b(?:вы сами|вы)\b[^.!?;\n]{0,20}?\b(?:дали|передали|опубликовали|выложили|сообщили|оставили)\b[^.!?;\n]{0,30}?\b(?:свой |ваш )?(?:номер|данные|телефон|адрес|контакт)\w*",
    r"\bваши (?:данные|номер) (?:и так |уже )?(?:есть )?(?:в открытом доступе|публичн\w+|в интернете)\b",
    r"\bсами виноваты\b",
    r"\b(?:c['’]est vous qui|vous[- ]meme|vous)\b[^.!?;\n]{0,20}?\b(?:avez donne|avez publie|avez partage|avez communique|avez transmis)\b[^.!?;\n]{0,30}?\b(?:votre )?(?:numero|donnees|coordonnees|adresse)\b",
    r"\bvos (?:donnees|coordonnees|numero) (?:sont|est) (?:deja )?(?:publi\w+|sur internet|en ligne)\b",
    r"\b(?:sie selbst|sie)\b[^.!?;\n]{0,20}?\b(?:haben)\b[^.!?;\n]{0,40}?\b(?:nummer|daten|adresse|kontakt\w*)\b[^.!?;\n]{0,30}?\b(?:gegeben|weitergegeben|veroffentlicht|geteilt|gepostet)\b",
    r"\bihre (?:daten|nummer) (?:sind|ist) (?:doch |ohnehin |sowieso )?(?:offentlich|im internet)\b",
    r"\bselbst schuld\b",
    r"\b(?:your|su|sua|seu|vostra|votre|ihre|ваша) (?:own )?(?:fault|culpa|colpa|faute|schuld|вина)\b",
)

CUES: tuple[ClaimCue, ...] = (
    ClaimCue(Claim.REGULATOR_GAVE_DATA, "positive", _REGULATOR_GAVE),
    ClaimCue(Claim.UNLIMITED_STAFF_ACCESS, "positive", _UNLIMITED_ACCESS),
    ClaimCue(Claim.REFUSE_ERASURE, "negative", _REFUSE_ERASURE),
    ClaimCue(Claim.REFUSE_ERASURE, "positive", _STAYS_IN_SYSTEM),
    ClaimCue(Claim.ONLY_OUR_LINE_REPAIRS, "positive", _ONLY_OUR_LINE),
    ClaimCue(Claim.FAKE_CONSENT, "positive", _FAKE_CONSENT),
    ClaimCue(Claim.REGISTER_IRRELEVANT, "negative", _REGISTER_IRRELEVANT),
    ClaimCue(Claim.SOURCE_SECRET, "negative", _SOURCE_SECRET),
    ClaimCue(Claim.NOT_OUR_RESPONSIBILITY, "negative", _NOT_OUR_RESPONSIBILITY),
    ClaimCue(Claim.RETAIN_FOREVER, "positive", _RETAIN_FOREVER),
    ClaimCue(Claim.DARE_TO_SUE, "positive", _DARE_TO_SUE),
    ClaimCue(Claim.BLAME_CUSTOMER_DATA_PUBLIC, "positive", _BLAME_CUSTOMER),
)

NEGATOR_PATTERN = re.compile(_strip_accents(NEGATORS))
