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
    r"\bnothing\b",
    r"\bno one\b",
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
    r"\bministero\b",
    r"\bmimit\b",
    r"\bsenacon\b",
    r"\bcommissioner['’]?s?\b",
    r"\bagencia espanola de proteccion de datos\b",
    r"\borganisme public\b",
    r"\bregistro (?:pubblico )?delle opposizioni\b",
    r"\brpo\b",
    r"\blista robinson\b",
    r"\bnao me perturbe\b",
    r"\bno molestar\b",
    r"\btps\b",
    r"\borgao\w*",
    r"\borganismo\w*",
    r"\bente\b",
    # Generic names for "the authorities" and more national bodies and opt-out registers.
    r"\bauthorit(?:y|ies)\b",
    r"\bthe state\b",
    r"\bcommission\b",
    r"\bpreference service\b",
    r"\bdo not call\b",
    r"\bombudsman\b",
    r"\bcrtc\b",
    r"\bcnpd\b",
    r"\banacom\b",
    r"\bift\b",
    r"\bosiptel\b",
    r"\benacom\b",
    r"\bcorecom\b",
    r"\bantitrust\b",
    r"\bbloctel\b",
    r"\bdgccrf\b",
    r"\bprefecture\b",
    r"\bbakom\b",
    r"\bedob\b",
    r"\brtr\b",
    r"\bcomcom\b",
    r"\bregulierer\b",
    r"\bfernmeldeburo\b",
    r"\blandesamt\b",
    r"\bdigitalministerium\b",
    r"\brobinsonliste\b",
    r"\bautorites?\b",
    r"\betat\b",
    r"\borganisme de regulation\b",
    r"\bsecretaria de estado\b",
    r"\bфас\b",
    r"\bроспотребнадзор\w*",
    r"\bнадзорн\w+ орган\w*",
    r"\bорган\w* власти\b",
    r"\bвласт(?:и|ей|ям)\b",
    r"\bминкомсвяз\w*",
    r"\bминистерств\w*",
    r"\bпрокуратур\w*",
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
    r"\bdistribut\w+",
    r"\bpass(?:es|ing)? on\b",
    r"\bhand(?:s|ed|ing)? over\b",
    r"\breleas(?:ed|es)\b",
    r"\bissu(?:ed|es)\b",
    # es
    r"\bentreg\w+",
    r"\bnos (?:pas|di|da|dio|facilit|proporcion|cedi|vendi|envi|mand)\w*",
    r"\bpas(?:o|a|aron|an)\b",
    r"\bproporcion\w+",
    r"\bfacilit\w+",
    r"\bced(?:e|io|en|ieron)\b",
    r"\bvendi\w*",
    r"\bcompart\w+",
    r"\breparte\w*",
    r"\btraspas\w+",
    r"\benvi(?:o|a|an|aron)\b",
    r"\bremit\w+",
    r"\bfue cedid\w+",
    # pt
    r"\b(?:re)?pass(?:ou|a|am|aram)\b",
    r"\bfornec\w+",
    r"\bdeu\b",
    r"\bderam\b",
    r"\bvendeu\b",
    r"\bcedeu\b",
    r"\benviou\b",
    r"\bmand(?:ou|a|am)\b",
    r"\bliberou\b",
    r"\bdisponibiliz\w+",
    r"\bpartilh\w+",
    r"\bencaminh\w+",
    r"\bfoi passad[oa]\b",
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
    r"\b(?:passarci|fornirci|consegna|ci segnala)\b",
    r"\b(?:e|sono) stat[oaie] (?:dat|fornit|comunicat|passat|cedut|trasmess|inoltrat)\w*",
    r"\bgir(?:a|ano|ato|ata)\b",
    r"\bdistribu\w+",
    r"\binoltr\w+",
    r"\bmandat[oaie]\b",
    r"\bha mandato\b",
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
    r"\bприсыла\w+",
    r"\bпришл\w+",
    r"\bспуска\w+",
    r"\bспусти\w+",
    r"\bраздал\w*",
    r"\bраздает\b",
    r"\bраздают\b",
    r"\bрассыла\w+",
    r"\bразосла\w+",
    r"\bслил\w*",
    r"\bсливает\b",
    r"\bпоставля\w+",
    # fr
    r"\b(?:a|ont|nous a|nous ont|vous a) (?:donne|fourni|transmis|vendu|communique|cede|passe|partage)\w*",
    r"\bfourni\w*",
    r"\btransm\w+",
    r"\brefil\w+",
    r"\bdistribu\w+",
    r"\benvoy\w+",
    r"\bmet a disposition\b",
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
    r"\bschick\w*",
    r"\bgeschickt\b",
    r"\bzugespielt\b",
    r"\bverteil\w*",
    r"\bweitergeleitet\b",
    r"\bleitet\b",
    # "hat uns mitgeteilt, dass…" reports a message, it hands over no data.
    r"\bmitgeteilt\b(?!,? dass)",
    r"\bteilt\b",
    r"\bubergeben\b",
    r"\bstellt\b",
    r"\bverschickt\b",
)

RECEIVE_FROM = alt(
    r"\b(?:got|obtained|received|bought|purchased|came|comes?|get|sourced)\b[^.!?;\n]{0,30}?\bfrom\b",
    r"\bthanks to\b",
    r"\b(?:obtuvimos|recibimos|conseguimos|sacamos|compramos|proviene[n]?|viene[n]?|llego|llegaron|obtenid[oa]s?|sacad[oa]s?)\b[^.!?;\n]{0,30}?\b(?:de(?:l)?|desde)\b",
    r"\b(?:came|comes?|got)\b[^.!?;\n]{0,30}?\b(?:via|through)\b",
    r"\b(?:parvenu\w*|arrive\w*)\b[^.!?;\n]{0,30}?\b(?:par|de|du)\b",
    r"\barrivat[oaie]\b[^.!?;\n]{0,30}?\btramite\b",
    r"\b(?:recebemos|obtivemos|conseguimos|compramos|vieram|vem|veio|obtid[oa]s?|pegamos|chegou|chegaram)\b[^.!?;\n]{0,30}?\b(?:da|do|de|pel[ao])\b",
    r"\b(?:ricevut[oi]|ottenut[oi]|preso|pres[ie]|comprat[oi]|provien\w+|arriva\w*|venut[oi])\b[^.!?;\n]{0,30}?\b(?:da|dal|dalla|dall|dai)\b",
    r"\b(?:получил\w*|взял\w*|купил\w*|поступил\w*)\b[^.!?;\n]{0,30}?\b(?:от|из|у)\b",
    r"\b(?:obtenu\w*|recu\w*|achete\w*|provien\w+|vien\w*|eu)\b[^.!?;\n]{0,30}?\b(?:de|du|des|aupres)\b",
    r"\b(?:erhalten|bekommen|gekauft|stamm\w+|kommen|kommt|kam\w*)\b[^.!?;\n]{0,30}?\b(?:von|vom|aus|uber)\b",
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
    r"\bу нас (?:почин|мастер|ремонт)\w*",
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
    r"\bvisibilit\w+",
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
    # verb-final: "Ihre Nummer haben wir vom Regulierer bekommen"
    near(
        r"\b(?:von|vom|uber|aus)\b[^.!?;\n]{0,25}?" + REGULATOR,
        r"\b(?:erhalten|bekommen|gekommen|gegangen)\b",
        25,
    ),
    near(REGULATOR, r"\bwhere (?:your|the) \w+ (?:came|come|comes) from\b", 20),
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
        r"\b(?:unlimited|full|complete|total|ilimitado|ilimitada|completo|illimitato|completo|totale|полн\w+|неограниченн\w+|illimite|complet|uneingeschrankt\w*|vollen|vollstandig\w*|komplett\w*|irrestrit\w*)\b",
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

# "any agent can open any customer's account": an unrestricted someone reaching an
# unrestricted record.
_ANY_STAFF = alt(
    r"\b(?:any|every)(?: one)?(?: of)? (?:our |us|the )?(?:\w+ )?(?:employee|agent|rep|staff|technician|engineer|member|colleague|worker|contractor|advisor|adviser)s?\b",
    r"\b(?:everyone|anyone|everybody|anybody)\b",
    r"\bcualquier(?:a)?(?: de nosotros)? ?(?:agente|empleado|ejecutivo|trabajador|tecnico|operador|persona|comercial)?\b",
    r"\btodo el personal\b",
    r"\bqualquer(?: um de nos)? ?(?:atendente|funcionario|colaborador|tecnico|vendedor|pessoa)?\b",
    r"\btodo mundo\b",
    r"\bn['’]importe (?:quel|qui|lequel)\b(?: conseiller| agent| employe| salarie| technicien)?",
    r"\bchaque (?:salarie|conseiller|agent|employe|technicien)\b",
    r"\btous nos (?:agents|employes|conseillers|salaries|techniciens)\b",
    r"\b(?:qualsiasi|qualunque|ogni) (?:operatore|dipendente|collega|addetto|tecnico|agente|persona)\b",
    r"\bchiunque\b",
    r"\bjede[rs]? (?:mitarbeiter\w*|kollege|techniker|angestellte|im team|im betrieb|abteilung)\b",
    r"\bjeder\b",
    r"\balle (?:mitarbeit\w+|angestellten|kollegen|techniker)\b",
    r"\bлюб(?:ой|ая|ое) (?:сотрудник|оператор|менеджер|мастер|техник|стажер)\w*",
    r"\bкажд(?:ый|ая) (?:сотрудник|оператор|менеджер|мастер|техник|стажер)\w*",
    r"\bвсем сотрудникам\b",
    r"\bкто угодно\b",
)

_OPEN_RECORD = alt(
    r"\b(?:open|see|sees|view|check|pull up|read|browse|look (?:up|at)|access)\b[^.!?;\n]{0,30}?\b(?:any|every|all)(?:one)?\b",
    r"\b(?:ver|consultar|revisar|entrar|mirar|abrir|puxar|olhar|acessar|acede)\b[^.!?;\n]{0,30}?\b(?:cualquier|qualquer|tod[oa]s?|tudo)\b",
    r"\b(?:voir|consulter|ouvrir|regarder)\b[^.!?;\n]{0,30}?\b(?:n['’]importe|tou[ts]|toutes|l['’]integralite)\b",
    r"\b(?:vedere|consultare|aprire|controlla\w*|cercare)\b[^.!?;\n]{0,30}?\b(?:qualsiasi|qualunque|ogni|tutt[oiea]|chiunque)\b",
    r"\b(?:jede[ns]?|alle|samtliche|alles)\b[^.!?;\n]{0,40}?\b(?:aufrufen|offnen|nachschauen|einsehen|sehen|zugreifen|ran)\b",
    r"\b(?:открыть|посмотреть|смотреть|видит|видеть|узнать)\b[^.!?;\n]{0,30}?\b(?:люб\w+|все\w*|что угодно)\b",
    r"\b(?:смотрит|видит)\b[^.!?;\n]{0,30}?\b(?:люб\w+|всю|все)\b",
)

_ANY_CUSTOMER = alt(
    r"\b(?:any|every)(?: one)? (?:customer|client|subscriber|account)s?['’]?s?\b",
    r"\b(?:anything|everything) (?:about|on) (?:anyone|anybody|everyone|any customer)\b",
    r"\bcualquier (?:abonado|cliente|cuenta|usuario)\b",
    r"\bqualquer (?:assinante|cliente|conta|usuario)\b",
    r"\bn['’]importe quel (?:abonne|client|compte|dossier)\b",
    r"\b(?:qualsiasi|qualunque|ogni) (?:cliente|abbonato|account|scheda|utente)\b",
    r"\bdi chiunque\b",
    r"\bлюб(?:ого|ой|ые) (?:абонент\w*|клиент\w*|аккаунт|ваши данные|данные)\b",
    r"\bjede[ns]? (?:kunden\w*|konto|datensatz)\b",
)

_VIEW = alt(
    r"\b(?:see|sees|view|open|read|look|check|access|pull|browse)\w*",
    r"\b(?:ver|veo|revisar|consultar|mirar|abrir|olha\w*|acede|acessa\w*|vejo|ve)\b",
    r"\b(?:voir|vois|consulter|regarde\w*|ouvrir)\b",
    r"\b(?:vedere|vedo|consultare|aprire|controlla\w*)\b",
    r"\b(?:смотр\w+|вид(?:ит|им|ят|еть)|открыть|посмотреть)\b",
    r"\b(?:sehen|sehe|seh|einsehen|aufrufen|offnen|zugreifen|nachschauen)\b",
)

_SEE_ANY_CUSTOMER = _compile(
    near(_VIEW, _ANY_CUSTOMER, 40),
    near(
        r"\b(?:i (?:can )?see|ich seh\w*|yo veo|veo|я (?:и так )?вижу|вижу|je vois|vedo|vejo|ve|vê)\b",
        r"\b(?:everything|alles|todo|всё|все|tout|tutto|tudo)\b",
        15,
    ),
    r"\b(?:alles|todo|tudo|tutto|tout|всё|все)\b[^.!?;\n]{0,25}?\b(?:uber alle|de todos|di tutti|sur tous|по всем)\b",
    near(
        r"\b(?:a disposicion|disponiveis|disponibles|disponibili|consultables?|visibles?|zuganglich)\b",
        r"\b(?:cualquier|qualquer|n['’]importe quel|qualsiasi|qualunque|jede[mnrs]?|tous nos|tutti i|all (?:staff|employees|our))\b",
        20,
    ),
    r"\b(?:любой|каждый) (?:менеджер|сотрудник|оператор)\w* видит\b",
    r"\bкто угодно\b",
)

_NO_LIMIT = alt(
    r"\bno (?:limits?|restrictions?)\b",
    r"\bnothing['’]?s locked down\b",
    r"\bisn['’]t limited\b",
    r"\bno hay (?:ninguna )?(?:limites?|restriccion\w*)\b",
    r"\bsin restriccion\w*",
    r"\bnao (?:tem|existe) (?:limite|restricao)\w*",
    r"\bsem restricao\b",
    r"\bn['’]y a aucune? (?:limite|restriction)\b",
    r"\baucun cloisonnement\b",
    r"\bni limite\b",
    r"\bsans restriction\b",
    r"\bnon (?:c['’]e|esistono) (?:nessun )?limit\w*",
    r"\bsenza (?:limiti|restrizioni)\b",
    r"\bнет (?:никаких )?ограничений\b",
    r"\bбез ограничений\b",
    r"\bограничений\b[^.!?;\n]{0,40}?\bнет\b",
    r"\bkeine grenze\b",
    r"\bohne einschrankung\b",
    r"\b(?:einschrankungen|zugriffsbeschrankungen) gibt es\b[^.!?;\n]{0,20}?\b(?:nicht|keine)\b",
    r"\bschrankt nicht ein\b",
)

_ANY_STAFF_ANY_RECORD = _compile(
    near(_ANY_STAFF, _OPEN_RECORD, 40),
    near(
        _ANY_STAFF,
        r"\b(?:whole|entire|complete|full|completa|completo|inteiro|complet|integralite|intero|completa|komplett\w*|gesamte|samtliche|vollzugriff|всю|всей)\b[^.!?;\n]{0,20}?\b(?:database|customer|account|base|fichier|database|kunden\w*|datenbank|базе|база|базу|history|historial|historico|storico)",
        60,
    ),
    (
        r"\b(?:whole|entire|complete|full)\b[^.!?;\n]{0,10}?\bcustomer (?:database|list|files?)\b|\bbase completa de clientes\b|\bfichier clients complet\b|\bintero database\b|\bkomplette kundendatenbank\b|\bgesamte kundendatenbank\b|\bвся клиентская база\b|\bвся база\b"
    ),
)

_NO_ACCESS_LIMIT = _compile(
    both(
        _NO_LIMIT,
        r"\b(?:see|look|check|access|view|open|ver|consultar|acceso|acesso|olh\w+|voir|consult\w+|acces|ouvrir|vedere|consultare|accesso|sehen|zugriff\w*|offnen|einsehen|узнать|доступ\w*|смотреть|открыть)\b",
        60,
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

# A deletion named and then refused after it: "Erasing your details is not something we
# do", "löschen kann ich Ihre Nummer nicht", "solicitação de eliminação foi indeferida".
_DELETION_REFUSED = _compile(
    near(
        DELETE,
        r"\b(?:(?:isn['’]t|is not|not) something we do|not possible|declined|nicht (?:moglich|zu)"
        r"|geht\b[^.!?;\n]{0,15}?\b(?:nicht|ned)|(?:kann|konnen) (?:ich|wir)\b[^.!?;\n]{0,30}?\bnicht"
        r"|wird\b[^.!?;\n]{0,20}?\bnichts|no es algo que|no procede|nao da|indeferid\w+"
        r"|non la facciamo|non (?:possono|puo) essere|non vengono accettate|ce n['’]est pas possible|refusee?"
        r"|ne se font plus|не занимаемся|нельзя|не обязан\w*|отклонен\w*|bearbeiten wir nicht)",
        30,
    ),
    near(
        r"\b(?:won['’]t|can['’]t|cannot|no|nao|non|не|nicht|ned)\b",
        r"\b(?:take it out|se saca|sai da lista|rausnehmen|raus\b|tolto|вычеркнуть)",
        25,
    ),
    r"\bn['’]autorise pas la suppression\b",
    r"\bkeine moglichkeit\b[^.!?;\n]{0,40}?\b(?:zu )?(?:streichen|loschen|entfernen)\b",
    r"\bkeinen anlass\b[^.!?;\n]{0,30}?\bzu loschen\b",
)

# "Your number stays in our system" is a refusal stated positively: a negator clears it
# ("…não vai ficar no nosso sistema para sempre").
_STAYS_IN_SYSTEM = _compile(
    near(
        r"\b(?:stays?|remains?|permanec\w+|queda\w*|fica\w*|rimane|rester?a|bleib\w*|останется|останутся|остается)\b",
        r"\b(?:in|en|no|na|nel|nella|dans|в)\b[^.!?;\n]{0,15}?\b(?:system|database|base|sistema|системе|базе|systeme)\b",
        40,
    ),
    near(
        r"\b(?:stays?|remains?|bleibt|resta|reste|continuar)\b",
        # not "…stay on file for the six years the tax office requires" (a legal period)
        r"\b(?:on file|in (?:our|the) crm|drin|in der (?:datenbank|liste|kampagnenliste)|im (?:newsletter-verteiler|crm|system)|nella lista|dans (?:la|notre) base|no sistema)\b(?![^.!?;\n]{0,12}?\bfor (?:the )?(?:\w+ )?(?:years?|months?)\b)",
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

_SWITCH_TO_US = alt(
    r"\b(?:switch\w*|mov\w+|transferr\w+|come)\b[^.!?;\n]{0,25}?\b(?:to us|over to us|to our)\b",
    r"\bswitch 2 us\b",
    r"\bswitching is\b",
    r"\b(?:pase|pasese|cambiese|portarse|se cambia|se pasa)\b[^.!?;\n]{0,25}?\b(?:a nosotros|con nosotros|a nuestra|nuestra)\b",
    r"\bcontrat(?:ar|e)\b[^.!?;\n]{0,15}?\bcon nosotros\b",
    r"\b(?:passez|rejoignez|souscrivez)\b",
    r"\bchez nous,? (?:ca|c['’]est)\b",
    r"\b(?:passi|passare|venga)\b[^.!?;\n]{0,20}?\b(?:a noi|da noi|nostra rete)\b",
    r"\b(?:fare|faccia) (?:subito )?il passaggio\b",
    r"\bcon noi (?:la linea|il guasto|l['’]intervento)\b",
    r"\b(?:troque|muda|vem|vier|contratar)\b[^.!?;\n]{0,20}?\b(?:pra cá|pra gente|nossa|com a gente)\b",
    r"\b(?:fizer|faca) a portabilidade\b",
    r"\bcom a gente (?:isso|o reparo|o tecnico)\b",
    r"\b(?:переходите|перейдите|подключитесь|подключайтесь|смените провайдера)\b",
    r"\bу нас (?:почин|мастер|ремонт)\w*",
    r"\b(?:wechseln|wechsel|kommen sie)\b[^.!?;\n]{0,25}?\b(?:zu uns|unser netz)\b",
    r"\b(?:als unser kunde|mit einem vertrag bei uns)\b",
    r"\bif you sign up\b",
    r"\bpasser chez nous\b",
    r"\b(?:se aderisce|firma con noi|passa con noi)\b",
    r"\b(?:se migrar|contrate agora|recomendo trocar)\b",
    r"\bwechseln sie\b",
    r"\bzu uns (?:kommen|wechseln)\b",
    r"\bпереходите к нам\b",
)

_REPAIRED = alt(
    r"\b(?:fix\w*|repair\w*|works again|sort\w*|resolv\w*|fault\w*|engineers?)\b",
    r"\b(?:arregl\w*|soluciona\w*|repara\w*|averia|tecnico)\b",
    r"\b(?:repar\w+|regle|revient|panne|retablissement)\b",
    r"\b(?:riparat\w*|riparer\w*|riparazione|guasto|sistem\w+|torna|tecnico)\b",
    r"\b(?:resolv\w+|conserto|volta|defeito|reparo|tecnico)\b",
    r"\b(?:почин\w+|заработает|мастер|устран\w+|ремонт\w*)\b",
    r"\b(?:repari\w+|behoben|entstorung|techniker|termin|reparatur|kummern)\b",
    r"\b(?:ripristino|averias?|avaria|авари\w*|неисправност\w*)\b",
)

_YOUR_PROVIDER = (
    r"\b(?:your|su|seu|sua|suo|ваш\w*|votre|ihr\w*|la sua|a sua|l['’]attuale|jetzig\w*|current|actual|attuale)\b"
    r"[^.!?;\n]{0,20}?\b(?:operator|provider|isp|supplier|operador\w*|gestore|operatore|оператор\w*|провайдер\w*|operateur|fournisseur|fai|anbieter|compania|companhia)\b"
)

_SWITCH_FOR_REPAIR = _compile(
    both(_SWITCH_TO_US, _REPAIRED, 60),
    near(
        r"\b(?:only|solo|seuls?|solo|apenas|nur|только)\b[^.!?;\n]{0,15}?\b(?:our|nos|nuestr\w+|nostr\w+|unser\w*|наш\w*)\b[^.!?;\n]{0,10}?\b(?:own )?(?:customers|abonnes|clientes|clienti|kunden|абонент\w*|anschluss\w*|glasfaser\w*)\b",
        _REPAIRED,
        60,
    ),
    near(
        _REPAIRED,
        r"\b(?:only|solo|uniquement|solamente|nur|только)\b[^.!?;\n]{0,30}?\b(?:our|nuestr\w+|notre|nostr\w+|unser\w*|наш\w*)\b",
        40,
    ),
    # "we saw your fault ticket with your provider" followed by a sales offer
    near(
        r"\b(?:saw|seen|know about|vimos|registrad[ao]|видели|узнали|gesehen|wissen von|visto|vu|arrivata notizia)\b",
        r"\b(?:ticket|fault|averia|avaria|chamado|reclamacao|заявк\w*|storungsmeldung|storung|guasto|disservizio|panne)\b",
        40,
    ),
)

_REPAIR_ONLY_IF_OURS = _compile(
    near(
        r"\b(?:garantizad\w*|garantid\w*|garanti\w*|gibt es|priorit\w*|prioridad)\b",
        r"\b(?:unicamente|solo|so|qu['’]|nur|only)\b[^.!?;\n]{0,40}?\b(?:nuestr\w+|nossa|nosso|notre|nostr\w+|unser\w*|zu uns|ours)\b",
        30,
    ),
)

# "your provider will never fix it": the negator belongs to the claim
_PROVIDER_WONT_FIX = _compile(
    near(_YOUR_PROVIDER, NEGATORS + r"[^.!?;\n]{0,30}?" + _REPAIRED, 30),
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

# Consent asserted through what the customer did ("you ticked the box", "Sie haben der
# Werbung zugestimmt") or as a record we hold ("your consent was recorded").
_CONSENT_GIVEN = _compile(
    r"\b(?:you|u)\b[^.!?;\n]{0,10}?\b(?:ticked|checked|said yes|clicked)\b",
    r"\b(?:consent|permission) (?:was|has been|is) (?:given|recorded|granted|obtained)\b",
    r"\b(?:have|got) your (?:consent|permission) on file\b",
    r"\bconstitutes consent\b",
    r"\b(?:usted marco|marco la casilla|marcaste|dijo que si|aceptaste|acepto recibir)\b",
    r"\bconsentimiento (?:fue|ha sido) (?:otorgado|dado|registrado)\b",
    r"\b(?:voce marcou|marcou a|disse sim|deu (?:o )?ok|deu (?:consentimento|permissao)|nos deu permissao|consentiu)\b",
    r"\bconsentimento (?:foi|esta) (?:dado|registado|registrado|assinado)\b",
    r"\bconsentimento para\b[^.!?;\n]{0,30}?\b(?:inclu|assin)\w*",
    # not "si vous avez coché…, nous la retrouverons": a condition being checked
    r"(?<!\bsi )\bvous avez (?:coche|dit oui|valide|forcement accepte)\b",
    r"\bvous nous avez autorises?\b",
    r"\bconsentement (?:a ete donne|est repute|figure)\b",
    r"\b(?:votre )?accord\b[^.!?;\n]{0,30}?\best inclus\b",
    r"\b(?:ha|hai) (?:detto si|spuntato|dato l['’]ok)\b",
    r"\b(?:ha firmato lei|lei ha firmato)\b",
    r"\bci ha dato il permesso\b",
    r"\bl['’]hai data tu\b",
    r"\bconsenso (?:e stato|risulta|c['’]e)\b",
    r"\blo ha confermato\b",
    r"\bвы (?:же )?(?:сами )?(?:поставили галочку|сказали|согласились|согласны)\b",
    r"\bзначит,? согласились\b",
    r"\bсогласие\b[^.!?;\n]{0,30}?\b(?:входит|у нас (?:точно )?есть|получено|дано)\b",
    r"(?<!falls )(?<!\bob )(?<!wenn )\b(?:sie haben|haben sie|du hast|hast du|sie hatten)\b[^.!?;\n]{0,50}?\b(?:zugestimmt|eingewilligt|angekreuzt|erlaubt|ja gesagt|ja zu\b[^.!?;\n]{0,30}?\bgesagt|unterschrieben|akzeptiert|hakchen\b[^.!?;\n]{0,30}?\bgesetzt|okay\b[^.!?;\n]{0,20}?\bgegeben)",
    r"\b(?:da|weil|dass) sie\b[^.!?;\n]{0,50}?\b(?:zugestimmt|eingewilligt|akzeptiert) haben\b",
    r"\b(?:einwilligung|zustimmung|einverstandnis|werbeeinwilligung)\b[^.!?;\n]{0,40}?\b(?:erteilt|erfolgt|gegeben|liegt\b[^.!?;\n]{0,10}?\bvor)\b",
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

# Opt-out registers, lists and a customer's own objection, all languages.
_OPT_OUT = alt(
    r"\b(?:tps|do not call|opt-?outs?|objection|objecting|objected|register(?:ed)?|registry|registration)\b",
    r"\b(?:asked us to stop|said stop)\b",
    r"\b(?:lista robinson|robinson|no molestar|repep|oposicion|opuesto|se haya opuesto)\b",
    r"\b(?:nao me perturbe|cadastro de bloqueio|lista de bloqueio|oposicao)\b",
    r"\b(?:bloctel|opposition|liste d['’]opposition|listes d['’]opposition|refus)\b",
    r"\b(?:registro (?:delle )?opposizioni|rpo|opposizione|opporsi)\b",
    r"\b(?:robinsonliste|sperrliste|sperrvermerk|widerspruch\w*|widersprochen|ecg-liste|opt-out)\b",
    r"\b(?:реестр\w* отказ\w*|отказ\w*|стоп-лист\w*|возража\w+|запрет на звонки|отписк\w+)\b",
)

_REGISTER_NO_EFFECT = alt(
    r"\bmakes? no difference\b",
    r"\bdoesn['’]t (?:stop|cover|count|apply|matter)\b",
    r"\bdoes not (?:stop|cover|count|apply)\b",
    r"\bonly applies\b",
    r"\baren['’]t affected\b",
    r"\bignores? it\b",
    r"\b(?:is|are) for (?:third parties|cold callers)\b",
    r"\bno cambia nada\b",
    r"\bno (?:impide|nos obliga|aplica|afecta)\b",
    r"\bes (?:voluntario|solo para)\b",
    r"\bnao (?:impede|se aplica|vale|dependem?)\b",
    r"\be (?:opcional|so para)\b",
    r"\bne change rien\b",
    r"\bne s['’]applique\w*\b",
    r"\bne (?:vaut|protege) (?:que|pas)\b",
    r"\bpeu importe\b",
    r"\bne peut pas etre pris en compte\b",
    r"\bnon (?:e applicabile|vale|rientrano|conta)\b",
    r"\b(?:cambia poco|vale solo|conta solo|blocca solo)\b",
    # "Ihr Vertrag ändert nichts daran: nach Ihrem Widerspruch…" upholds the objection
    r"\bandert nichts\b(?!\s*daran\s*:)",
    r"\bgilt (?:nicht|nur)\b",
    r"\bbetrifft\b[^.!?;\n]{0,30}?\b(?:nicht|nur)\b",
    r"\bspielt\b[^.!?;\n]{0,30}?\bkeine rolle\b",
    r"\bnicht gebunden\b",
    r"\bhin oder her\b",
    r"\bbezieht sich nur\b",
    # "…на них не распространяется": the register not covering something else (debt reminders)
    r"(?<!на них )(?<!на него )(?<!на это )\bне (?:действует|влияет|распростран\w+|касается)\b",
    r"\bничего не меняет\b",
    r"\bкасается только\b",
)

_REGISTER_KEEP_CALLING = alt(
    r"\b(?:still|keep|continue to|will keep) (?:call|ring|phon|market|contact|send)\w*",
    r"\bseguir(?:emos)? (?:llam|envi|contact|ofrec)\w*",
    r"\b(?:podemos|le podemos) llamarle\b",
    r"\bcontinu(?:ar|aremos) (?:ligando|enviando|entrando|oferecendo)\b",
    r"\bpodemos (?:ligar|continuar)\b",
    r"\bcontinuer a vous (?:appeler|contacter)\b",
    r"\bnous pouvons (?:vous )?(?:rappeler|appeler)\b",
    r"\bdroit d['’]appeler\b",
    r"\b(?:chiamarla|chiamare) lo stesso\b",
    r"\b(?:partono|riceve\w*) comunque\b",
    r"\bweiter(?:hin)? (?:an(?:rufen)?|kontaktieren)\b",
    r"\brufen wir\b[^.!?;\n]{0,30}?\bweiter\w*\b",
    r"\bdurfen wir\b[^.!?;\n]{0,40}?\b(?:trotzdem|weiter\w*|anrufen)\b",
    r"\bbekommen sie weiterhin\b",
    r"\bпродолж\w+",
    r"\bзвонить можно\b",
)

_REGISTER_SAYS_NOTHING = _compile(
    both(_OPT_OUT, _REGISTER_NO_EFFECT, 60),
    both(_OPT_OUT, _REGISTER_KEEP_CALLING, 80),
    near(
        r"\b(?:call|ring|phone|llamar\w*|ligar|appeler|chiamar\w*|anrufen|звонить)\b",
        r"\b(?:as (?:often|much) as we (?:like|want)|las veces que queramos|quantas vezes quisermos|autant qu['’]on veut|tutte le volte che vogliamo|so oft (?:wir wollen|wie wir wollen)|сколько захотим|хоть каждый день)\b",
        40,
    ),
    near(
        r"\b(?:as (?:often|much) as we (?:like|want)|las veces que queramos|quantas vezes quisermos|autant qu['’]on veut|tutte le volte che vogliamo|so oft (?:wir wollen|wie wir wollen)|сколько захотим)\b",
        r"\b(?:call|ring|phone|llamar\w*|ligar|appeler|chiamar\w*|anrufen|звонить)\b",
        40,
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

# Where the data came from: question words and nouns for the source, in all languages.
_SOURCE_WORD = alt(
    r"\bwho (?:gave|passed|sold|provided|supplied)\b",
    r"\bwhich (?:partner|company|vendor|supplier|broker)\b",
    r"\bhow (?:we (?:obtained|got)|your (?:data|details|number)\b[^.!?;\n]{0,20}?\b(?:got|ended|came))\b",
    r"\b(?:data |lead |list )?(?:sources|suppliers|vendors?|origin)\b",
    r"\bwhere\b[^.!?;\n]{0,20}?\b(?:came|comes|got)\b",
    r"\bquien (?:nos )?(?:dio|paso|facilito|vendio)\b",
    r"\b(?:fuentes|proveedores|procedencia)\b",
    r"\bde donde (?:viene|salio|sacamos|obtuvimos)\b",
    r"\bcomo obtuvimos\b",
    r"\bquem (?:nos )?(?:passou|deu|forneceu|vendeu)\b",
    r"\b(?:fontes|fornecedores|procedencia)\b",
    r"\bde onde (?:veio|saiu|tiramos|vem)\b",
    r"\bcomo conseguimos\b",
    r"\bchi (?:ci )?(?:ha dato|ha passato|ha venduto|ha ceduto)\b",
    r"\b(?:fonti|fornitore|fornitori|provenienza)\b",
    r"\bda dove viene\b",
    r"\bcome (?:abbiamo ottenuto|siamo arrivati)\b",
    r"\bqui (?:nous )?(?:a donne|a vendu|a transmis|a fourni)\b",
    r"\b(?:sources|fournisseurs|provenance|origine)\b",
    r"\bd['’]ou vient\b",
    r"\bcomment (?:vos donnees|votre numero)\b",
    r"\bкто (?:дал|передал|продал|предоставил)\b",
    r"\bоткуда\b",
    r"\bу кого\b",
    r"\bкак ваш\w* (?:данные|номер)\b",
    r"\bпроисхожд\w+",
    r"\bисточник\w*",
    r"\bпартнера\b",
    r"\bwoher\b",
    r"\bwer uns\b",
    r"\bvon wem\b",
    r"\bvon welchem\b",
    r"\bwo\b[^.!?;\n]{0,30}?\bherkommt\b",
    r"\bwie (?:ihr\w*|deine) (?:daten|kontakt|nummer)\b",
    r"\b(?:daten)?(?:quelle\w*|herkunft|bezugsquellen|leadlieferanten|adresshandler)\b",
)

_DISCLOSE = alt(
    r"\b(?:tell|say|disclose|reveal|share|name|naming|give out|know)\b",
    r"\b(?:decir\w*|revel\w+|inform\w+|contar|compart\w+|dar(?:selo|le)?|sepa)\b",
    r"\b(?:dizer|contar|informar|revelar|divulga\w*|compartilh\w+|passar)\b",
    r"\b(?:dire|revel\w+|communiqu\w+|indiquer|devoil\w+|citer|repondre|saurez|donner)\b",
    r"\b(?:dir\w+|rivel\w+|comunica\w+|indicar\w*|divulga\w*|fornire)\b",
    r"\b(?:сказать|скаж\w+|раскрыва\w*|раскрыть|раскроем|назвать|называть|говорить|сообщ\w+)\b",
    r"\b(?:sagen|verraten|offen(?:legen)?|nennen|bekanntgeben|mitteilen|auskunft|preisgeben|kommuniziert)\b",
)

_SOURCE_WITHHELD = _compile(
    near(near(NEGATORS, _DISCLOSE, 30), _SOURCE_WORD, 60),
    near(_SOURCE_WORD, near(NEGATORS, _DISCLOSE, 30), 60),
    near(_SOURCE_WORD, near(_DISCLOSE, NEGATORS, 20), 60),
    near(near(_DISCLOSE, NEGATORS, 20), _SOURCE_WORD, 60),
    # "die Quelle geben wir nicht heraus": a separable verb with the negator inside it
    both(_SOURCE_WORD, r"\bgeb\w*\b[^.!?;\n]{0,30}?\bnicht\s+(?:he)?raus\b", 60),
)

# The source called a secret: positive, so "we don't keep it a secret" is cleared by its
# negator.
_SOURCE_CALLED_SECRET = _compile(
    both(
        _SOURCE_WORD,
        r"\b(?:confidential|commercially sensitive|restricted|withheld|kept private|company secret|secreto|secret\w*|segredo|confidencial\w*|confidentialite|riservatezza|segreto|geheimnis|betriebsgeheimnis|firmengeheimnis|bleibt (?:intern|vertraulich|unter uns)|служебн\w+|конфиденциальн\w+|internal|(?:es|e) interna|ist intern)\b",
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
    r"\bcourier\w*",
    r"\bdealer\w*",
    r"\boutsourc\w*",
    r"\bfirm\b",
    r"\bshop\b",
    r"\bsubcontrat\w*",
    r"\bcontrata\b",
    r"\brecaudacion\b",
    r"\bcobro\b",
    r"\bempreiteira\b",
    r"\bprestador\w*",
    r"\brecouvr\w+",
    r"\bcabinet\b",
    r"\bdistributeur\b",
    r"\blivreur\b",
    r"\bdemarcheur\b",
    r"\binstallat\w+",
    r"\bsubappalto\b",
    r"\besattor\w*",
    r"\brivenditor\w*",
    r"\bagenzi\w*",
    r"\bмонтаж\w+",
    r"\bдилер\w*",
    r"\bаутсорс\w*",
    r"\bорганизаци\w+",
    r"\bюрлиц\w*",
    r"\bколл-центр\w*",
    r"\bfremdfirma\b",
    r"\bmonteur\b",
    r"\bcallcenter\b",
    r"\bkanzlei\b",
    r"\bagentur\b",
    r"\bvertriebspartner\b",
    r"\bfranchise\w*",
    r"\bmahnwesen\b",
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
    r"\b(?:their|his|its) (?:business|problem|concern|fault),? not (?:ours|us|the company)\b",
    r"\bnot on us\b",
    r"\bisn['’]t our (?:responsibility|concern|problem|fault)\b",
    r"\bcan['’]t be held responsible\b",
    r"\bbetween you and them\b",
    r"\b(?:asunto|cosa|problema) (?:suy[oa]|de el|de ellos)\b",
    r"\bno respondemos\b",
    r"\bno podemos (?:hacernos )?(?:responder|responsabiliz)\w*",
    r"\b(?:ya )?no depende de nosotros\b",
    r"\bresponsabilidad exclusiva\b",
    r"\b(?:e|fica) com (?:eles|ela|ele),? nao com a gente\b",
    r"\bnao respondemos\b",
    r"\bnao podemos (?:nos )?(?:responder|responsabiliz)\w*",
    r"\b(?:ja )?nao depende de nos\b",
    r"\bexclusiva responsabilidade\b",
    r"\bproblema del[ea]\b",
    r"\bleur affaire\b",
    r"\bpas (?:la|du) notre\b",
    r"\bpas notre affaire\b",
    r"\bn['’]a rien a voir\b",
    r"\bpas de notre responsabilite\b",
    r"\bseule responsable\b",
    r"\bpas concerne\w*",
    r"\bdeclinons toute responsabilite\b",
    r"\btenus? responsables?\b",
    r"\bne (?:nous )?regarde pas\b",
    r"\bne releve pas de nous\b",
    r"\baffar (?:loro|nostro)\b",
    r"\bnon c['’]entriamo\b",
    r"\bnon e responsabile\b",
    r"\ba carico loro\b",
    r"\bnon coinvolge\b",
    r"\b(?:non|nao) (?:e|sono) di nostra competenza\b",
    r"\bnon ricadono su di noi\b",
    r"\bnon possiamo rispondere\b",
    r"\bnon e roba nostra\b",
    r"\bne risponde lui\b",
    r"\bих (?:дело|проблемы)\b",
    r"\bне наше\b",
    r"\bни при ч[её]м\b",
    r"\bответственности не нес[её]м\b",
    r"\bне наша зона ответственност\w*",
    r"\bс них и спрашивайте\b",
    r"\bда sind wir raus\b",
    r"\bsind wir (?:da )?raus\b",
    # "wir" must be the subject: "Die RTR hat mit unseren Aktionen nichts zu tun" is a denial.
    r"\b(?:haben wir|wir haben)\b[^.!?;\n]{0,40}?\b(?:nichts|nix) (?:damit )?zu tun\b",
    r"\bhat mit uns\b[^.!?;\n]{0,30}?\bnichts zu tun\b",
    r"\b(?:deren|dessen) sache\b",
    r"\bnicht zustandig\b",
    r"\bhaften (?:wir )?nicht\b",
    r"\bwir haften nicht\b",
    r"\bkeinen einfluss\b",
    r"\bselbst verantwortlich\b",
    r"\bnicht in unserer verantwortung\b",
    r"\bnicht beteiligt\b",
    r"\bsein problem\b",
)

# Weaker on their own ("we can't do anything until…"): they count only next to a third party.
_NOT_OURS_WEAK = alt(
    r"\bcan['’]t (?:do anything|stop|control)\b",
    r"\bno control over\b",
    r"\b(?:take it up|complain|speak|talk) (?:with|to) (?:them|the \w+)\b",
    r"\bshould go to\b",
    r"\bnot (?:from )?us\b",
    r"\bno podemos (?:hacer nada|intervenir)\b",
    r"\b(?:reclame|dirijase|hable)\b[^.!?;\n]{0,20}?\b(?:a ellos|con ellos)\b",
    r"\bno nuestro\b",
    r"\bnao podemos (?:fazer nada|interferir)\b",
    r"\bnao pode fazer nada\b",
    r"\b(?:reclam\w+|fale)\b[^.!?;\n]{0,20}?\bcom eles\b",
    r"\bnao com a gente\b",
    r"\b(?:on|nous) ne (?:peut|pouvons) rien faire\b",
    r"\bne pouvons (?:pas|rien)\b",
    r"\bne controlons pas\b",
    r"\bpas nous\b",
    r"\badressez-vous\b",
    r"\bvoir directement avec\b",
    r"\bon n['’]a pas la main\b",
    r"\bnon possiamo (?:fare|farci) (?:niente|nulla)\b",
    r"\b(?:nessun|alcun) controllo\b",
    r"\bsi rivolga\b[^.!?;\n]{0,20}?\ba loro\b",
    r"\bdeve (?:rivolgersi|prendersela)\b",
    r"\bnon nostro\b",
    r"\bfa quello che vuole\b",
    r"\bничего (?:сделать )?не можем\b",
    r"\bне можем контролировать\b",
    r"\bжалуйтесь им\b",
    r"\bвопросы к\b",
    r"\bсами решают\b",
    r"\bnicht unsere\b",
    r"\b(?:konnen|koennen) wir (?:da )?(?:nicht|nichts|nix)\b",
    r"\bnichts (?:machen|unternehmen)\b",
    r"\bnicht (?:kontrollieren|eingreifen)\b",
    r"\bwenden sie sich (?:direkt )?an\b",
    r"\bnehmen wir nicht an\b",
    r"\bdort geltend\b",
)

_NOT_OUR_RESPONSIBILITY = _compile(
    both(_THIRD_PARTY, _NOT_OURS, 80),
    both(_THIRD_PARTY, _NOT_OURS_WEAK, 80),
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

_STORE_VERB = alt(
    r"\b(?:keep\w*|kept|stor\w+|retain\w*|held|stay\w*|remain\w*|purged|archiv\w+|hold)\b",
    r"\b(?:conserv\w+|guard\w+|queda\w*|se queda|archiv\w+|almacen\w+)\b",
    r"\b(?:fica\w*|armazen\w+|retid\w+|arquivad\w+|manter|mantid\w+)\b",
    r"\b(?:rest\w+|salvat\w+|tenut\w+|archivi\w+|conservat\w+)\b",
    r"\b(?:gard\w+|stock\w+|archiv\w+|reste\w*|enregistre\w*)\b",
    r"\b(?:хран\w+|держим|сохран\w+|остан\w+|останутся)\b",
    r"\b(?:bleib\w*|gespeichert|speicher\w*|bewahr\w+|aufbewahrt|heben\b[^.!?;\n]{0,30}?\bauf|archiviert)\b",
)

_FOREVER = alt(
    r"\b(?:for life|for good|for ever|forever|indefinitely|permanently|no time limit|no expiry(?: date)?|no retention limit)\b",
    r"\b(?:de por vida|indefinidamente|de forma (?:indefinida|permanente)|para siempre|sin plazo\w*)\b",
    r"\b(?:pra sempre|para sempre|permanentemente|perpetuamente|de forma permanente|sem prazo\w*)\b",
    r"\b(?:a vita|per sempre|a tempo indefinito|senza (?:scadenza|limiti)|non c['’]e una scadenza)\b",
    r"\b(?:a perpetuite|indefiniment|de facon (?:permanente|definitive)|pour de bon|permanente|pas de date d['’]expiration)\b",
    r"\b(?:навечно|пожизненно|постоянно|бессрочно|навсегда|без ограничени\w* срока)\b",
    r"\b(?:lebenslang|ewig|dauerhaft|unbeschrankt|ohne frist|fur alle zeiten|fur immer|unbefristet)\b",
)

_KEPT_FOR_EVER = _compile(both(_STORE_VERB, _FOREVER, 60))

# "there is no retention limit", "never purged": the negator is part of the claim
_NO_RETENTION_LIMIT = _compile(
    r"\bno (?:time|retention) limit\b",
    r"\bnever purged\b",
    r"\bno (?:tiene|tenemos) (?:un )?plazo de (?:conservacion|borrado)\b",
    r"\bnon c['’]e una scadenza\b",
    r"\bnon facciamo pulizie\b",
    r"\bpas d['’]echeance de suppression\b",
    r"\by a pas de date d['’]expiration\b",
    r"\bkeine speicherfrist\b",
    r"\bspeicherfrist gibt es\b[^.!?;\n]{0,15}?\bnicht\b",
    r"\bбез ограничени\w* срока\b",
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

# Inviting legal action or a complaint is fine on its own (the playbooks point customers to
# the regulator); the claim is the invitation paired with a taunt that it is pointless.
_LEGAL_ACTION = alt(
    r"\bsu(?:e|ing)\b",
    r"\blawyer\w*",
    r"\bcourt\b",
    r"\bsmall claims\b",
    r"\blegal action\b",
    r"\bcomplain\w*",
    r"\breport us\b",
    r"\bescalat\w+",
    r"\bombudsman\b",
    r"\bwon against us\b",
    r"\babogad\w+",
    r"\bdemand\w*",
    r"\bdenunci\w*",
    r"\btribunal\w*",
    r"\bjuicio\w*",
    r"\breclam\w+",
    r"\bacciones legales\b",
    r"\badvogad\w+",
    r"\bprocess\w*",
    r"\bjustica\b",
    r"\bacao\b",
    r"\bqueixa\w*",
    r"\bavocat\w*",
    r"\bplainte\w*",
    r"\bproces\b",
    r"\bjustice\b",
    r"\bjuge\b",
    r"\bassigner\b",
    r"\bsaisissez\b",
    r"\bplaindre\b",
    r"\bmediateur\b",
    r"\bavvocat\w*",
    r"\bcausa\b",
    r"\bgiudice\b",
    r"\breclami?\b",
    r"\bvie legali\b",
    r"\bsi rivolga\b",
    r"\bсуд\w*",
    r"\bюрист\w*",
    r"\bадвокат\w*",
    r"\bжалу\w+",
    r"\bпожалу\w+",
    r"\bпишите\b",
    r"\bзаявлени\w+",
    r"\bgericht\w*",
    r"\banwalt\w*",
    r"\bklag\w*",
    r"\bzeigen sie\b[^.!?;\n]{0,30}?\ban\b",
    r"\banzeigen\b",
    r"\bprozess\w*",
    r"\bbeschwer\w+",
    r"\bmelden sie\b",
    r"\bwenden sie sich\b",
    r"\brechtliche schritte\b",
    r"\bschlichtungsstelle\b",
    r"\bombudsmann\b",
    r"\bverbraucherzentrale\b",
    REGULATOR,
)

_POINTLESS = alt(
    r"\bwe don['’]?t care\b",
    r"\bsee if we care\b",
    r"\bnothing (?:will|ever) (?:happen|change|come)\w*",
    r"\bnothing ever comes of it\b",
    r"\bwon['’]t (?:change|make any difference|bother|do anything|help)\b",
    r"\bnever do anything\b",
    r"\byou['’]?(?:ll| will) (?:lose|be laughed|be wasting)\w*",
    r"\bwe['’]?(?:ll| will) win\b",
    r"\bconfident you will lose\b",
    r"\bgood luck\b",
    r"\bwasting your time\b",
    r"\bnos da igual\b",
    r"\bda igual\b",
    r"\bno (?:va a|le) (?:pasar|servira|conseguir)\w*",
    r"\bno (?:nos )?preocupa\b",
    r"\bganaremos\b",
    r"\bsiempre gana\w*",
    r"\bhemos ganado\b",
    r"\bnunca ha pasado nada\b",
    r"\bnadie nos ha ganado\b",
    r"\babogados mejores\b",
    r"\btanto faz\b",
    r"\bnao (?:vai|muda) (?:dar em nada|adiantar|conseguir|nada)\w*",
    r"\bnunca deu em nada\b",
    r"\bvenceremos\b",
    r"\bsempre ganha\b",
    r"\bja ganhou\b",
    r"\bnao nos preocupa\b",
    r"\bninguem nunca ganhou\b",
    r"\bnous est egal\b",
    r"\bon s['’]en (?:moque|fiche)\b",
    r"\bil ne se passera rien\b",
    r"\bne gagnerez pas\b",
    r"\ballez perdre\b",
    r"\bne (?:servira|menera|feront) (?:a )?(?:rien|nulle part)\b",
    r"\bne vous menera nulle part\b",
    r"\bne nous inquiete\b",
    r"\bbon courage\b",
    r"\bon verra bien\b",
    r"\bse fera un plaisir\b",
    r"\bjamais ete sanctionne\w*",
    r"\bnon (?:ci )?(?:importa|interessa|spaventa|vincera|servira|cambia)\b",
    r"\bnon (?:la porter|hanno mai preso)\w*",
    r"\bvinciamo sempre\b",
    r"\bavvocati migliori\b",
    r"\bdara torto\b",
    r"\bvediamo chi ha ragione\b",
    r"\bsiamo tranquilli\b",
    r"\bvedrai come finisce\b",
    r"\bla aspettiamo\b",
    r"\bнам (?:все|вс[её]) равно\b",
    r"\bничего не (?:будет|изменится|измен\w+)\b",
    r"\bне пугает\b",
    r"\bникто не выигрывал\b",
    r"\bмы выиграем\b",
    r"\bпроиграете\b",
    r"\bпосмотрим\b",
    r"\bни холодно ни жарко\b",
    r"\bдаже не читают\b",
    r"\bтолько время тратить\b",
    r"\bответ будет тот же\b",
    r"\bничего менять не будем\b",
    r"\bist uns egal\b",
    r"\bwird nichts\b",
    r"\bmal sehen,? wer\b",
    r"\bfreuen (?:uns|sich)\b",
    r"\bkommt (?:eh |sowieso )?nichts (?:bei )?raus\b",
    r"\bdie besseren\b",
    r"\bviel gluck\b",
    r"\bbringen wird['’]?s nix\b",
    r"\bwartet schon\b",
    r"\bbeeindruckt uns nicht\b",
    r"\binteressiert (?:dort )?keinen\b",
    r"\bmachen sowieso nichts\b",
    r"\bkann uns (?:eh )?nichts\b",
    r"\bverlieren sie (?:sowieso|eh|ohnehin)\b",
    r"\bkeinen erfolg haben\b",
    r"\bkeine zeit\b",
    r"\bgewinnen werden sie nicht\b",
    r"\bwenn du dich traust\b",
)

_TAUNT_TO_SUE = _compile(both(_LEGAL_ACTION, _POINTLESS, 90))

_YOUR_CONTACT = alt(
    r"\b(?:your|ur) (?:phone )?(?:number|phone|details|address|email|e-mail|contact|data|whatsapp)\b",
    r"\b(?:su|sus|tu|tus) (?:numero|telefono|datos|contacto|direccion|correo)\b",
    r"\b(?:seu|seus|sua) (?:numero|telefone|dados|contato|contacto|endereco|e-mail)\b",
    r"\b(?:votre|vos) (?:numero|telephone|donnees|coordonnees|adresse|contact)\b",
    r"\b(?:il suo|i suoi|suo) (?:numero|cellulare|dati|contatto|indirizzo)\b",
    r"\bваш\w* (?:номер|телефон|данные|e-mail|адрес|контакт)\w*",
    r"\bihre? (?:telefonnummer|nummer|adresse|daten|e-mail-adresse|kontaktdaten|kundennummer|name)\b",
)

_OUT_IN_PUBLIC = alt(
    r"\b(?:everywhere|online|on the (?:net|internet|web)|public phone ?book|phone ?book|fair game|all over)\b",
    r"\b(?:en internet|por internet|guia telefonica|medio mundo)\b",
    r"\b(?:na internet|pela internet|todo lugar|lista telefonica|todo mundo tem)\b",
    r"\b(?:partout|sur le net|sur internet|pages blanches)\b",
    r"\b(?:su internet|sui social|online|ovunque|in giro)\b",
    r"\b(?:везде|в сети|в открытом доступе|в интернете|на авито)\b",
    r"\b(?:uberall|im netz|im herold|im internet|google-suche|kursiert)\b",
)

_CUSTOMER_GAVE_IT = alt(
    r"\byou (?:did |literally |yourself )?(?:give|gave|shared|listed|posted|tagged|dictated|published|left)\b[^.!?;\n]{0,30}?\b(?:number|whatsapp|address|details|email|contact|phone)\b",
    r"\b(?:shouldn['’]t have shared)\b",
    r"\busted (?:le |lo )?(?:dejo|publico|dio|paso)\b",
    r"\b(?:al darle su)\b",
    r"\b(?:o publicou|forneceu voluntariamente|partilhado por si)\b",
    r"\b(?:vous l['’]aviez|c['’]est vous qui|vous avez poste|vous diffusez)\b",
    r"\b(?:e stat[oa] lei a|l['’]ha (?:lasciato|dato) lei|gliel['’]ha dato lei|lei lo aveva pubblicato|lei condivide|ha condiviso i suoi|e lei che)\b",
    r"\b(?:вы (?:сами|продиктовали)|сами везде)\b",
    r"\bsie haben\b[^.!?;\n]{0,40}?\b(?:genannt|offentlich gemacht|diktiert|gepostet)\b",
    r"\bda sie\b[^.!?;\n]{0,40}?\b(?:offentlich gepostet|gepostet)\b",
)

_CUSTOMERS_FAULT = _compile(
    both(_YOUR_CONTACT, _OUT_IN_PUBLIC, 50),
    _CUSTOMER_GAVE_IT,
    r"\b(?:ihre eigene schuld|ihr risiko|ihre verantwortung|la culpa es suya|asumio el riesgo|entre ustedes|colpa sua|affar suo|sua leggerezza|la responsabilite vous revient|между вами)\b",
)

CUES: tuple[ClaimCue, ...] = (
    ClaimCue(Claim.REGULATOR_GAVE_DATA, "positive", _REGULATOR_GAVE),
    ClaimCue(Claim.UNLIMITED_STAFF_ACCESS, "positive", _UNLIMITED_ACCESS),
    ClaimCue(Claim.UNLIMITED_STAFF_ACCESS, "positive", _ANY_STAFF_ANY_RECORD),
    ClaimCue(Claim.UNLIMITED_STAFF_ACCESS, "positive", _SEE_ANY_CUSTOMER),
    # "no restrictions on what we can see": the negator is the claim itself
    ClaimCue(Claim.UNLIMITED_STAFF_ACCESS, "negative", _NO_ACCESS_LIMIT),
    ClaimCue(Claim.REFUSE_ERASURE, "negative", _REFUSE_ERASURE),
    ClaimCue(Claim.REFUSE_ERASURE, "positive", _STAYS_IN_SYSTEM),
    ClaimCue(Claim.REFUSE_ERASURE, "negative", _DELETION_REFUSED),
    ClaimCue(Claim.ONLY_OUR_LINE_REPAIRS, "positive", _ONLY_OUR_LINE),
    ClaimCue(Claim.ONLY_OUR_LINE_REPAIRS, "positive", _SWITCH_FOR_REPAIR),
    ClaimCue(Claim.ONLY_OUR_LINE_REPAIRS, "negative", _PROVIDER_WONT_FIX),
    # "garantie qu'aux clients de notre ligne": the "ne…que" negator is part of the claim
    ClaimCue(Claim.ONLY_OUR_LINE_REPAIRS, "negative", _REPAIR_ONLY_IF_OURS),
    ClaimCue(Claim.FAKE_CONSENT, "positive", _FAKE_CONSENT),
    ClaimCue(Claim.FAKE_CONSENT, "positive", _CONSENT_GIVEN),
    ClaimCue(Claim.REGISTER_IRRELEVANT, "negative", _REGISTER_IRRELEVANT),
    ClaimCue(Claim.REGISTER_IRRELEVANT, "negative", _REGISTER_SAYS_NOTHING),
    ClaimCue(Claim.SOURCE_SECRET, "negative", _SOURCE_SECRET),
    ClaimCue(Claim.SOURCE_SECRET, "negative", _SOURCE_WITHHELD),
    ClaimCue(Claim.SOURCE_SECRET, "positive", _SOURCE_CALLED_SECRET),
    ClaimCue(Claim.NOT_OUR_RESPONSIBILITY, "negative", _NOT_OUR_RESPONSIBILITY),
    ClaimCue(Claim.RETAIN_FOREVER, "positive", _RETAIN_FOREVER),
    ClaimCue(Claim.RETAIN_FOREVER, "positive", _KEPT_FOR_EVER),
    ClaimCue(Claim.RETAIN_FOREVER, "negative", _NO_RETENTION_LIMIT),
    ClaimCue(Claim.DARE_TO_SUE, "positive", _DARE_TO_SUE),
    # the taunt carries its own negators ("it won't change a thing"): only a frame clears it
    ClaimCue(Claim.DARE_TO_SUE, "negative", _TAUNT_TO_SUE),
    ClaimCue(Claim.BLAME_CUSTOMER_DATA_PUBLIC, "positive", _BLAME_CUSTOMER),
    ClaimCue(Claim.BLAME_CUSTOMER_DATA_PUBLIC, "positive", _CUSTOMERS_FAULT),
)

NEGATOR_PATTERN = re.compile(_strip_accents(NEGATORS))
