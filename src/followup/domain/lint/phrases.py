"""The phrase lists and the few patterns each rule matches, and the helpers that read
the shapes they need (placeholders, what follows "our conversation about", greetings …)."""

from __future__ import annotations

import re
from functools import cache

from followup.domain.lint.text import _CASELESS, _NAME_TOKEN, _SPACES, _WORD_RUN, _phrases, _Tokens

# --- the phrases and patterns ---------------------------------------------------------------

# Placeholders: kept a regex, compiled by _placeholders on the first text that may have one.
_FIELD = (
    r"(?:first|last|full|given|family|sur|your|my|sender|recipient|contact|company|hiring)?_?"
    r"(?:name|company|role|position|title|job(?:_?title)?|interviewer|recipient|manager"
    r"|date|topic|skill|project|team|contact|sender|signature)"
)
_TITLE_LETTER = r"\b(?:Mr|Mrs|Ms|Mx|Dr|Miss)\.? [A-Z]\b(?![.'\w-])"  # "Dear Mr. X,"
_PLACEHOLDER = (
    r"\[ *(?!(?:sic|external|ext|spam|bulk|secure|encrypt|fwd|fw)\])"  # not [sic], [EXTERNAL]
    r"[^\W\d_][^\[\]\n]{1,80}\](?!\()"  # [Company Name], [ a point ]: not [1], [x](url)
    r"|«[^«»\n]{1,60}»|【[^【】\n]{1,60}】"  # «project», 【project】
    r"|\*\|[^|\n]{1,40}\|\*"  # *|FNAME|* (Mailchimp)
    r"|<%=?[^%\n]{0,60}%>"  # <%= project %> (ERB)
    r"|@@[^@\n]{1,40}@@|#[^\W\d_]\w{1,30}#"  # @@project@@, #NAME#
    r"|\{\{[^{}\n]{0,80}\}\}"  # {{ name }}
    r"|\{%[^{}\n]{0,80}%\}"  # {% if x %}
    r"|\$\{[^{}\n]{1,60}\}"  # ${name}
    r"|\{[^\W\d_][^{}\n]{0,60}\}"  # {company}, {first name}
    r"|<(?!3)(?![^<>\n]*(?:@|://|www\.|mailto:))[^\W\d_][^<>\n]{0,60}>"  # <NAME>: not an address
    r"|\((?:your |their |the |insert )?"
    r"(?:first |last |full |company |manager'?s? |interviewer'?s? )?"
    r"(?:name|company|role|position|job title|title|date|topic|skill|project|interviewer"
    r"|recipient|here)\)"  # (name), (company name)
    r"|\b(?:TODO|TBD|TBC|FIXME|XXX+)\b"
    r"|_{3,}"  # a blank to fill in: ____
    # $NAME, %COMPANY%: a mail-merge field, not $5M, "50% of", nor $PATH or %APPDATA% in a
    # note about someone's build scripts
    rf"|(?i:\$(?:{_FIELD})\b|%(?:{_FIELD})%)"
    # Firstname, FirstName, FIRST_NAME, first_name, First Name, LASTNAME …
    r"|\b(?:[Ff]irst|[Ll]ast|[Ff]ull|[Ss]ur)_?[Nn]ame\b|\b(?:FIRST|LAST|FULL|SUR)_?NAME\b"
    r"|\b(?:First|Last|Full) Name\b"
    # NAME, YOUR NAME, PROJECT NAME: a label in capitals where a name goes
    r"|\b(?:[A-Z]{2,}[ _])?NAME\b"
    # Dear Mr. X, Dear Ms. Y: a title and one capital letter
    rf"|{_TITLE_LETTER}"
    # :name, :company (a template's symbol); project-name-here, insert-project-here
    rf"|(?<![\w:/]):(?i:{_FIELD})\b"
    r"|\b(?i:(?:insert|your|my|the|project|company|name|topic|role|skill)(?:[-_][a-z]+)*[-_]here)\b"
    # "our conversation about specific project": a template's stand-in, with no article
    r"|(?<!\b[Aa] )(?<!\b[Tt]he )(?<!\b[Oo]ne )(?<!\b[Tt]hat )(?<!\b[Aa]ny )(?<!\b[Nn]o )"
    r"\b(?i:specific (?:project|point|topic|thing|example))\b"
    # Hiring Manager Name, Company Name, Your Name: a label, capitalised, where a name goes
    r"|\b(?:(?:Hiring )?Manager(?:'s)?|Company|Interviewer(?:'s)?|Recipient|Contact|Your)"
    r" Name\b"
)
# Compiling the pattern costs ~8 ms (of `followup draft`'s 50 ms budget): it is compiled only
# for a text that may hold one of its shapes, told by these substrings and the checks in
# _may_hold ("Dr." or a ":" alone, common in drafts, do not count).
_PLACEHOLDER_STARTS = (
    "[", "{", "$", "<", "(", "%", "TODO", "TBD", "TBC", "FIXME", "XXX", "___",
    "name", "Name", "NAME", "«", "【", "*|", "@@", "-here", "_here", "-HERE", "_HERE",
    "specific", "Specific", "SPECIFIC",
)  # fmt: skip
# "lorem ipsum", and what the built-in templates once wrote with nothing debriefed.
_LOREM = _phrases(
    "lorem ipsum",
    "a|the specific point|project|topic you|we discussed",
    "your relevant skill|experience",
    "insert name|company|role|topic|skill...",
)

_GRATITUDE = frozenset(
    (
        "thank", "thanks", "thankful", "thanking", "thanked", "grateful", "gratitude",
        "appreciate", "appreciated", "appreciates", "appreciating", "appreciation",
        "appreciative", "thx",
    )
)  # fmt: skip
# Gratitude in words that are not "thank": "much obliged", "I valued the hour", "kind of you"
_GRATITUDE_PHRASES = _phrases(
    "much|most|very obliged",
    "obliged|indebted to you",
    "i valued|value the|your|our time|hour|hours|conversation|chat|discussion|insight|insights"
    "|meeting|interview|afternoon|morning|call|candour|candor|openness",
    "i really|truly|greatly valued|value the|your|our time|hour|hours|conversation|chat"
    "|discussion|insight|insights|meeting|interview|afternoon|morning|call|candour|openness",
    "generous|kind|good|gracious of you",
)
_ENTHUSIASM = _phrases(
    "excited|excitement|exciting|eager|eagerly|eagerness|enthusiasm|enthusiastic"
    "|enthusiastically|keen|thrilled|delighted|passionate|energised|energized|inspired"
    "|motivated|pumped|stoked|psyched|hyped",
    "down to join",
    "look|looking|looks forward",
    "would|i love",
    "i'd love",
    "love to",
    "can't wait",
    "cannot wait",
    "glad to",
    "very|really|still|remain|am|strongly|genuinely|truly|most|highly interested",
    "i'm interested",
    "my|strong|keen|continued|genuine|great interest",
    "keener|eagerer",
    "would welcome the|a chance|opportunity",
    "i'd welcome the|a chance|opportunity",
    "welcome the|a chance|opportunity to",
    "jump at the chance|opportunity",
    "be a privilege to",
    "be an honour|honor to",
    "privileged|honoured|honored to",
)
# Each is followed by whitespace and what was discussed: see _conversation_tails.
_CONVERSATION = _phrases(
    "conversation|conversations|discussion|discussions|chat|chats|talk|talks|exchange"
    "|exchanges|dialogue|dialogues about|on|regarding|around|of",
    "discuss|discussed|discussing",
    "talk|talked|talking about|through",
    "learn|learned|learning|learnt|hear|heard|hearing|spoke|speaking|thinking about",
    "went|going|go over",
    "covered|explored|exploring",
    "insight|insights|thoughts|perspective|explanation|overview|walkthrough|description"
    " on|about|into|of",
    "you|we mentioned|described|explained|shared|showed|covered",
    "you|we talked about",
    "enjoyed|loved|valued|liked|appreciated|fascinated|impressed|intrigued by|hearing|learning"
    "|seeing|the|your|how|about",
    "coming|came back to",
    "stuck with me",
    "your plans|approach|vision for|to",
    "explaining|explained|showing|showed|sharing|shared|describing|described the|your|how|what|why",
    "walking|walked|walk me|us through",
    "speaking|spoke|talking|talked|chatting|chatted with me|us about",
    "hearing|learning|seeing|understanding how|what|why",
    "call|calls|meeting|interview|session|visit about|regarding",
    "kept|keep playing|working|tinkering|thinking with|on|about",
    "story|stories|example|examples|account|demo about|of",
    "part|bit|section about|on",
    "reflecting|reflected on",
    "mulling|mulled over",
)
# "the roadmap (that) you mentioned": one to four words between one of these and a verb.
_BEFORE_START = frozenset(("the", "your", "that"))
_BEFORE_VERB = _phrases(
    "that you|we mentioned|described|explained|discussed|covered",
    "that you|we showed me",
    "that you|we talked about",
    "that you|we walked me through",
    "you|we mentioned|described|explained|discussed|covered",
    "you|we showed me",
    "you|we talked about",
    "you|we walked me through",
    "sounds|sounded|sound|looks|looked",
    "stuck|stayed with me",
    "has|have stayed|stuck with me",
    "was|were|is|are *",
)
# "the team is building …", "the role sounds …": a description, not an attempt at a point
_DESCRIBING = frozenset(
    ("sounds", "sounded", "sound", "looks", "looked", "was", "were", "is", "are")
)
_TAIL_END = frozenset(
    ["at", "with", "for", "today", "yesterday", "earlier", "last", "this", "during", "and"]
)
_GENERIC = frozenset(
    (
        "role", "position", "job", "opportunity", "opportunities", "application",
        "applications", "company", "team", "teams", "interview", "interviews", "candidacy",
        "thing", "things", "everything", "it", "work", "working", "exciting", "day", "time",
        "today", "process", "next", "step", "steps", "more", "detail", "details", "lot", "much",
        "how", "what", "me", "myself", "possibility", "chance", "vacancy", "post",
        "organisation", "organization", "business", "firm", "great", "good", "wonderful",
        "interesting", "innovative", "projects", "meeting", "meet", "speaking", "talking",
        "chatting", "you", "everyone", "conversation", "chat", "discussion", "building",
        "doing", "vision", "mission", "culture", "challenges", "plans", "future", "growth",
        "product", "products", "hearing", "learning", "amazing", "fantastic", "impressive",
        "exciting", "excited", "stuff", "there", "role's", "people", "folks", "environment",
        "place", "workplace", "staff", "department", "group", "engineering", "responsibilities",
        "duties", "position's", "company's", "team's", "discussing", "having", "getting",
        "opening", "offer", "hiring", "career", "careers", "industry", "field", "space",
        "questions", "answers", "insights", "information", "overview", "background",
        "learn", "discuss", "talk", "share", "join", "contribute", "speak", "hear", "apply",
        "consideration", "considering", "considered", "interviewing", "joining", "contributing",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning",
        "afternoon", "evening", "week", "yesterday", "call", "visit", "tour",
    )
)  # fmt: skip
_SKILL_PHRASE = _phrases(
    "my * experience|background|expertise|skills|skill|knowledge|years"
    " in|with|on|of|as|building|running|leading...",
    "my experience|background|expertise|skills|skill|knowledge|years"
    " in|with|on|of|as|building|running|leading...",
    "bring|bringing my...",
    "i have worked|built|led|used|shipped|designed|run...",
    "i've worked|built|led|used|shipped|designed|run...",
    "having worked|built|led|used|shipped|designed|run...",
    "i worked|built|led|designed|ran|shipped|maintained on|with|a|an|the",
    "experience in|with *",
    "i spent",
    "i've spent",
    "i have spent",
    "having spent",
    "years of|in|as|building|running|leading|automating|managing|working|doing|developing"
    "|designing|writing|teaching|selling|shipping...",
)
_PUSHY = _phrases(
    "just checking in",
    "just checking",
    "just following up",
    "just circling back",
    "just touching base",
    "any update|updates|news",
    "asap",
    "as soon as possible",
    "haven|hasn't yet heard back...",
    "haven|hasn't yet heard from you...",
    "haven|hasn't yet heard anything...",
    "haven|hasn't heard back...",
    "haven|hasn't heard from you...",
    "haven|hasn't heard anything...",
    "have|has not yet heard back...",
    "have|has not yet heard from you...",
    "have|has not yet heard anything...",
    "have|has not heard back...",
    "have|has not heard from you...",
    "have|has not heard anything...",
    "following up again",
    "following up once more",
    "following up one more time",
    "please respond|reply|answer",
    "please get back to me",
    # "urgent" alone is often the topic ("how you handle urgent payment retries")
    "urgently|desperate|desperately",
    "it|this|is|very|quite|so urgent",
    "am still waiting",
    "i'm still waiting",
    "i've been waiting",
    "i have been waiting",
    "still waiting to hear",
    "still waiting for your|a|an|any|some reply|response|answer|decision|news|update...",
    "why have i not",
    "why haven't i",
    "my second|third|fourth|fifth email|message|note|reminder|follow|attempt...",
    "courtesy of a reply|response|answer",
    # "thank you for your quick reply" is thanks: only asking for one is pushy
    "would appreciate a|an|your prompt|quick|swift|speedy|immediate|timely...",
    "i'd appreciate a|an|your prompt|quick|swift|speedy|immediate|timely...",
    "request|require|expect a|an|your prompt|quick|swift|speedy|immediate|timely...",
    "bump this|it|my",
    "top of your inbox",
    "nobody has replied|responded|answered|got|gotten|written...",
    "no one has replied|responded|answered|got|gotten|written...",
    "why haven't you",
    "circling back",
    "bumping this|it|my",
    "did you get a chance",
    "hoping for a quick|prompt|speedy response|reply|answer",
    "kindly revert",
    "at the earliest",
)
_ULTIMATUM = _phrases(
    "another|competing|other|second|outstanding|pending offer|offers",
    "an offer elsewhere",
    "i need an|a answer|decision|response",
    "i need to know|hear",
    "need to know|hear|decide by...",
    "need an|a answer|decision|response by...",
    "let me know|respond|reply|decide|answer by friday|monday|tuesday|wednesday|thursday"
    "|tomorrow|tonight|eod|end|the...",
    "if i don't hear",
    "if i do not hear",
    "unless i hear",
    "i will have to accept|withdraw|move|take|decline...",
    "i'll have to accept|withdraw|move|take|decline...",
    "otherwise i will",
    "otherwise i'll",
    "my deadline",
    "final chance",
    "last chance",
    "where things stand by monday|tuesday|wednesday|thursday|friday|tomorrow|tonight|eod|end"
    "|the...",
    "decision on|about other opportunities|offers|roles",
    "offer from another|a|one other|different|competing company|firm|employer|organisation"
    "|bank|startup|agency|business|fintech|team|insurer|consultancy|school|hospital...",
    "offer from another|other company|firm|employer|organisation...",
    "need|needs your decision|answer|response",
    "give them my answer|decision",
    "wants me to start",
    "go with them",
    "if you can't decide|commit|confirm",
    "if you cannot decide|commit|confirm",
    "if you don't decide|commit|confirm",
    "need to respond|reply|answer by|before|within...",
    "must respond|decide|reply|answer by|before|within...",
    "have to respond|decide|reply|answer by|before|within...",
    "have to give them an|my answer|decision|response...",
    "your decision before|by",
    "made|given me an|a offer",
    "offered me a|an position|role|job|offer|contract|place",
    "time is short|tight",
    "time is running out",
    "need a|an|your decision|answer|response",
    # "we restore service within 4 hours" is a point: only an answer asked within a time is
    "decision|answer|response|reply|confirmation within...",
    "decision|answer|response|reply|word from you within...",
    "confirm|know|hear|respond|reply|decide|answer within...",
    "back to me within...",
    "keep * offer open...",
    "keep this|the|their|that offer|it open",
    "i can|could only keep|hold|wait...",
    "i expect a|an|your response|answer|reply|decision",
    "expect a|an|your response|answer|reply|decision by|within|before...",
    "weighing|considering another|other|competing opportunity|opportunities|offer|offers",
)
# Said right before "any update", the question is polite: "is there any update on …?"
_POLITE_BEFORE = (("is", "there"), ("are", "there"), ("whether", "there"), ("if", "there"))
# desperate: the writer's need, or terms conceded before any offer
_DESPERATE = _phrases(
    "i need this job|role|position|opportunity|work",
    "i really|badly|desperately|truly need this job|role|position|opportunity|work",
    "mean|means the world to me",
    "i would|will do anything",
    "i'd do anything",
    "i'll do anything",
    "whatever it takes",
    "lower|reduced|smaller|lesser salary|pay|wage|rate|compensation",
    "any salary|wage|compensation",
    "less money|pay",
    "a pay|salary cut",
    "take|accept a cut",
    "please give me a|this chance",
    "begging",
    "i beg you",
)
_SIGN_OFFS = frozenset(
    (
        "best", "regards", "best regards", "kind regards", "warm regards", "warmest regards",
        "sincerely", "yours sincerely", "sincerely yours", "yours truly", "cheers", "thanks",
        "thank you", "many thanks", "all the best", "best wishes", "with thanks", "respectfully",
        "yours", "warmly", "talk soon", "take care", "with gratitude", "gratefully",
        "thanks again", "thank you again", "many thanks again", "thanks so much",
        "thanks a lot", "thanks very much", "thank you so much", "with many thanks",
    )
)  # fmt: skip
_SLANG = _phrases(
    "awesome|pumped|stoked|psyched|gonna|wanna|gotta|lol|rad|dope|epic|legit|kinda|sorta"
    "|vibe|vibes|omg|tbh|yall|hyped|chill|haha|hahaha|lmao|ya",
    "y'all",
    "had|was|is a blast",
    "so|pretty|super lit",
    "sounds|looks|looked|sounded sick",
    "totally down",
    "down to join|chat|talk",
    "cool stuff",
    "hit me up",
    "no cap",
    "super fun|excited|keen|happy|cool|pumped|stoked|psyched|interesting",
    "so cool",
    "crushing it",
)
_SHOUT_ALLOWED = frozenset({"NASDAQ", "FORTRAN", "ASCII", "UNICODE"})
_NEGATIVE = _phrases(
    "unfortunate|unfortunately|disappointed|disappointing|disappointment|regrettably",
    "sorry to|for|if * bother|disturb|trouble|troubling|pester|intrud|tak|writ|again...",
    "sorry to|for|if * the delay...",
    "sorry to|for|if bother|disturb|trouble|troubling|pester|intrud|tak|writ|again|chas...",
    "apologies|apologise|apologize for|if chas|bother|pester...",
    "sorry to|for|if the delay...",
    "i know you're * busy",
    "i know you're busy",
    "i know you are * busy",
    "i know you are busy",
    "i understand|realize|realise|know if",
    "i'm afraid",
    "i am afraid",
    "no worries if not",
    # the seeker's opinion of their work (a debriefed aside, "which honestly sounded painful")
    "painful|painfully|tedious",
    "a|an|total|absolute|real nightmare",
    # ... and of the company, which a debriefed topic can carry into every note ("their
    # terrible Glassdoor reviews", "the toxic manager situation": a cold trial)
    "terrible|horrible|horrendous|awful|dysfunctional|chaotic|disorganized|disorganised",
    "shady|sketchy|lousy|hated|hate|sucks|sucked|scandal|scandals|nightmare",
    "toxic",  # (a toxicologist's "toxic waste" is warned of too: a warning, not an error)
    "clunky|janky|weird|confusing|frustrating|annoying|tedious",
    "messy * handoff|handoffs|process|processes|codebase|code|onboarding|workflow|workflows",
    "messy handoff|workflow|workflows",
    "bad|negative|poor|mixed|star reviews|review|press|ratings|rating|reputation",
    "layoff|layoffs",
    "laid off",
    "high|staff|employee turnover",
    "keeps|keep quitting",
    "low|poor|bad morale",
    "low pay|salary|salaries|wages",
    "below market pay|salary|salaries|wages|rate|rates",
    "underpaid|overworked|understaffed|lowball|lowballed|lowballing",
    "unpaid overtime",
    "outdated|antiquated|archaic",
    "legacy mess",
    "messy codebase|code|process|processes|handoffs|onboarding|org|situation",
    "burned|burnt out",
    "micromanagement|micromanaging|micromanaged|micromanager|micromanage",
    "apologise|apologize for bothering...",
    "apologise|apologize for the intrusion|bother|trouble...",
)
# unpaid-work: an offer ("happy to", "I could" …), then a verb of making right after "to",
# "can", "could" …, then one of the products below within a few words: "I'd be glad to put
# together a full proposal". A sentence that says "for free" offers whatever it names.
_OFFER = frozenset(
    (
        "happy", "glad", "willing", "pleased", "delighted", "love", "like", "offer", "offering",
        "can", "could", "ll", "will", "gladly", "happily", "let", "able",
    )
)  # fmt: skip
_MAKE = frozenset(
    (
        "put", "prepare", "build", "create", "write", "draft", "design", "develop", "mock",
        "sketch", "produce", "deliver", "whip", "do", "run", "conduct", "make", "code", "work",
        "pull",
    )
)  # fmt: skip
_BEFORE_MAKE = frozenset(("to", "can", "could", "ll", "will", "happily", "gladly", "me", "also"))
_WORK_PRODUCTS = frozenset(
    (
        "proposal", "proposals", "prototype", "prototypes", "mockup", "mockups", "mock", "mocks",
        "wireframe", "wireframes", "plan", "plans", "strategy", "audit", "analysis", "deck",
        "campaign", "roadmap", "poc", "concept", "redesign", "spec", "specification", "outline",
        "pitch", "demo", "report", "study", "assessment", "blueprint", "sample",
    )
)  # fmt: skip
_FREE = _phrases(
    "for free",
    "free of charge",
    "at|for no cost|charge",
    "without charge",
    "no strings attached",
    "unpaid",
    "on spec",
    "on my own time",
)
# Labour offered for nothing, whatever it makes: "I can work unpaid for the first month"
_FREE_LABOUR = _phrases(
    "work|working|start|starting unpaid",
    "work|working for free|nothing",
    "without pay|payment",
    "unpaid trial|internship|basis",
    "do|doing|offer|offering|take a free trial|test...",
    "free trial|test week|weeks",
    "trial week|day|period|month for free",
    "for free",
    "free of charge",
    "prove myself",
    "over the|this|a weekend",
)
_REDO = frozenset(
    ("redesign", "rebuild", "rewrite", "overhaul", "audit", "fix", "refactor", "build", "redo")
)
_AS_EMPLOYEE = frozenset(("help", "join", "joining", "joined", "once", "hired", "contribute"))
_GIVING_UP = _phrases(
    # (an apostrophe ends an alternative: "you've" and "you" are separate phrases)
    "you've moved on",
    "you've already|probably|likely moved on",
    "already|probably|likely moved on",
    "you have moved|gone on",
    "you have already moved on",
    "has|have already moved on",
    "team has moved on",
    "with|for someone|somebody else",
    "with|for another candidate|candidates|applicant|applicants|person",
    "with|for a different|stronger|better candidate|applicant|person",
    "with|for the other candidate|applicant|person",
    "filled the role|position|post|vacancy|opening",
    "role|position|post|vacancy|opening|job|it has|had been filled",
    "didn't work out",
    "doesn't work out",
    "hasn't worked out",
    "won't work out",
    "did|does|will not work out",  # not "I could not work out how …"
    "has not worked out",
    "isn't meant to be",
    "wasn't meant to be",
    "not meant to be",
    # of the writer, not of a topic ("why the old design was not a good fit for mobile")
    "i'm not the|a right|best|good|strong fit|match|candidate|person|choice",
    "i am not the|a right|best|good|strong fit|match|candidate|person|choice",
    "i wasn't the|a right|best|good|strong fit|match|candidate|person|choice",
    "i was not the|a right|best|good|strong fit|match|candidate|person|choice",
    "i may|might not be the|a right|best|good|strong fit|match|candidate|person|choice",
    "no longer considered|being|in",
    "out of the running",
    "your silence as",
    "take that|this as a no",
    "won't bother|trouble|email|contact|pester you again|anymore",
    "not bother|trouble|email|contact|pester you again|anymore",
    "wasn't successful|selected|chosen",
    "was not successful|selected|chosen",
    "if you've decided|chosen|gone|filled",
    "if you have decided|chosen|gone|filled",
    "no hard feelings",
    "give|giving|gave up",
    "found|chosen|hired|picked|selected someone|somebody else",
    "gone to someone|somebody|another...",
    "this will|would be my last|final email|message|note|follow...",
    "this is my last|final email|message|note|follow...",
    "many|much|far better|stronger applicants|candidates",
    "better|stronger applicants|candidates than me",
    "role|position|job|post|vacancy|opening|it is|was no longer available|open",
    "i doubt i'm what|the",
    "i doubt i am what|the",
)
_CASUAL = _phrases(  # what is slang besides goes to slang-in-formal
    "hey|hiya|cheers|btw|thx|yeah|xoxo",
    "hi there",
)
_STIFF = _phrases(  # and "I remain" as a sign-off: see _i_remain
    "dear sir or madam",
    "dear sir / madam",
    "dear sir|madam",
    "to whom it may concern",
    "yours faithfully|respectfully",
    "respectfully yours",
    "i beg to",
    "herewith|hereby",
    "please find enclosed",
)
_GREETINGS = frozenset(("dear", "hi", "hello", "hey", "hiya", "greetings"))
_TIMES_OF_DAY = frozenset(("morning", "afternoon", "evening"))  # after "good"
# tried in this order
_TITLES = (
    "mr", "mrs", "ms", "miss", "mx", "doctor", "dr", "prof", "professor", "reverend", "revd",
    "rev", "fr", "rabbi", "pastor",
)  # fmt: skip
_NOT_A_NAME = frozenset(
    (
        "there", "all", "everyone", "everybody", "team", "hiring", "sir", "madam", "recruiter",
        "recruiting", "recruitment", "colleagues", "folks", "friends", "again", "both", "you",
        "and", "to", "the", "talent", "people", "panel", "manager", "managers",
    )
)  # fmt: skip
_COMPANY_SUFFIXES = frozenset(
    (
        "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation",
        "co", "company", "gmbh", "ag", "sa", "sas", "bv", "nv", "oy", "ab", "as", "kg", "group",
        "labs", "lab", "technologies", "technology", "tech", "systems", "software", "solutions",
        "holdings", "international", "the", "and", "of",
    )
)  # fmt: skip


@cache
def _placeholder_pattern() -> re.Pattern[str]:
    return re.compile(_PLACEHOLDER)


@cache
def _title_letter() -> re.Pattern[str]:
    return re.compile(_TITLE_LETTER)  # ~0.1 ms


def _may_hold(text: str) -> bool:
    """The text may hold a placeholder: worth compiling _PLACEHOLDER for."""
    if any(start in text for start in _PLACEHOLDER_STARTS) or text.count("#") >= 2:
        return True
    at = text.find(":")
    while at >= 0:  # ":name", not "Re: …" nor "10:30"
        if text[at + 1 : at + 2].isalpha() and (at == 0 or not text[at - 1].isalnum()):
            return True
        at = text.find(":", at + 1)
    return any(title in text for title in ("Mr", "Ms", "Dr", "Mx", "Miss")) and bool(
        _title_letter().search(text)
    )


def _placeholders(tokens: _Tokens) -> list[tuple[int, int]]:
    """Spans of bracket placeholders, TODO and the like, then of "lorem ipsum" (any case)."""
    text = tokens.text
    found = []
    if _may_hold(text):
        found = [m.span() for m in _placeholder_pattern().finditer(text)]
    spans, done = [], -1
    for start, end in sorted(found + tokens.find(_LOREM)):
        if start >= done:  # "a specific point …" inside "[a specific point …]" is one
            spans.append((start, end))
            done = end
    return spans


def _space_end(text: str, at: int) -> int:
    """Where the whitespace that starts at `at` ends."""
    match = _SPACES.match(text, at)
    return match.end() if match else at


def _in_number(text: str, at: int) -> bool:
    """The character at `at` sits between two digits: "40,000", "3.5"."""
    return 0 < at < len(text) - 1 and text[at - 1].isdigit() and text[at + 1].isdigit()


def _tail(text: str, end: int) -> tuple[str, int] | None:
    """What `\\s+(?P<tail>[^.!?;,]{1,80})` matches at `end`, up to a blank line (the end of
    a paragraph; "the role" in a subject is not followed by "Hi Ada" of the greeting): the
    tail and where it ends."""
    start = _space_end(text, end)
    if start == end:
        return None
    stop, limit = start, min(len(text), start + 80)
    while stop < limit and (
        text[stop] not in ".!?;," or _in_number(text, stop)  # "40,000 entries", "3.5 hours"
    ):
        if text[stop] == "\n" and "\n" in text[stop + 1 : _space_end(text, stop + 1)]:
            break  # a blank line: the paragraph ended
        stop += 1
    if stop > start:
        return text[start:stop], stop
    if start - end >= 2:  # punctuation right after: the last of the spaces is the tail
        return text[start - 1 : start], start
    return None


def _conversation_tails(tokens: _Tokens) -> list[tuple[int, str]]:
    """What follows each mention of the conversation: "our talk about <the billing rewrite>",
    with the index of the word that starts the mention."""
    tails: list[tuple[int, str]] = []
    done = 0
    for i, word in enumerate(tokens.words):
        if word not in _CONVERSATION or tokens.starts[i] < done:
            continue
        for phrase in _CONVERSATION[word]:
            end = tokens.match(i, phrase)
            found = _tail(tokens.text, end) if end >= 0 else None
            if found:
                tails.append((i, found[0]))
                done = found[1]
                break
    return tails


def _before_tails(tokens: _Tokens) -> list[tuple[int, str, bool]]:
    """The one to six words before a verb phrase: "the <roadmap> you mentioned"; a hyphen
    joins two words ("the <patient-record migration> sounds …"). The flag: the verb cites the
    conversation ("you mentioned"), rather than only describing ("the team is building")."""
    tails: list[tuple[int, str, bool]] = []
    done = 0
    count = len(tokens.words)
    for i, word in enumerate(tokens.words):
        if word not in _BEFORE_START or tokens.starts[i] < done:
            continue
        for last in range(i + 1, min(i + 7, count)):  # fewest words first
            letters = tokens.text[tokens.starts[last] : tokens.ends[last]]
            joined = tokens.text[tokens.ends[last - 1] : tokens.starts[last]] == "-"
            if not (tokens.spaced(last) or joined) or "_" in letters:
                break
            if any(c.isdecimal() for c in letters):
                break
            if last + 1 < count and tokens.spaced(last + 1):
                end = tokens.first(last + 1, _BEFORE_VERB)
                if end >= 0:
                    cites = tokens.words[last + 1] not in _DESCRIBING
                    tail = tokens.text[tokens.starts[i + 1] : tokens.ends[last]]
                    tails.append((i, tail, cites))
                    done = end
                    break
    return tails


def _bangs(text: str) -> list[tuple[int, int]]:
    """Spans of two or more "!" in a row."""
    spans = []
    at = text.find("!!")
    while at >= 0:
        end = at + 2
        while end < len(text) and text[end] == "!":
            end += 1
        spans.append((at, end))
        at = text.find("!!", end)
    return spans


def _is_emoji(c: str) -> bool:
    return "\U0001f000" <= c <= "\U0001faff" or "\u2600" <= c <= "\u27bf" or c in "\u2b50\u2b55"


def _symbols(text: str) -> list[tuple[int, int]]:
    """Spans of emoticons (":)", ";-P" between spaces), "<3" and emoji."""
    spans = []
    if not text.isascii():
        spans = [(i, i + 1) for i, c in enumerate(text) if _is_emoji(c)]
    at = text.find("<3")
    while at >= 0:
        spans.append((at, at + 2))
        at = text.find("<3", at + 2)
    for eyes in ":;":
        at = text.find(eyes)
        while at >= 0:
            end = at + 2 if text.startswith("-", at + 1) else at + 1
            if (
                (at == 0 or text[at - 1].isspace())
                and text[end : end + 1] in (")", "(", "D", "P", "d", "p")
                and (end + 1 == len(text) or text[end + 1].isspace())
            ):
                spans.append((at, end + 1))
            at = text.find(eyes, at + 1)
    return sorted(spans)


def _starts_with_words(text: str, at: int, *words: str) -> bool:
    """`text` has the words at `at`, whitespace between them, the last one maybe longer."""
    for word in words[:-1]:
        if not text.startswith(word, at):
            return False
        end = at + len(word)
        at = _space_end(text, end)
        if at == end:
            return False
    return text.startswith(words[-1], at)


def _i_remain(tokens: _Tokens) -> list[tuple[int, int]]:
    """Spans of "I remain" as a sign-off: before a comma, the end of a line, "yours" …"""
    spans = []
    words = tokens.words
    for i in range(len(words) - 1):
        if words[i] == "i" and words[i + 1].startswith("remain") and tokens.spaced(i + 1):
            end = tokens.starts[i + 1] + len("remain")
            lower = tokens.lower
            after = _space_end(lower, end)
            if (
                after == len(lower)
                or "\n" in lower[end:after]
                or lower.startswith((",", "yours", "respectfully", "sincerely"), after)
                or _starts_with_words(lower, after, "your", "obedient")
                or _starts_with_words(lower, after, "at", "your", "disposal")
            ):
                spans.append((tokens.starts[i], end))
    return spans


def _greeting(line: str) -> tuple[str, bool] | None:
    """The name a greeting line addresses ("Dear Ms. Lovelace," gives Lovelace) and whether
    a title comes before it; None if the line does not start with a greeting."""
    first = _WORD_RUN.search(line)
    if first is None:
        return None
    lower = line.translate(_CASELESS).lower()
    at = first.end()
    word = lower[first.start() : at]
    if word == "good":
        time = _WORD_RUN.search(line, at)
        if time is None or not line[at : time.start()].isspace():
            return None
        if lower[time.start() : time.end()] not in _TIMES_OF_DAY:
            return None
        at = time.end()
    elif word not in _GREETINGS:
        return None
    while at < len(line) and (line[at] == "," or line[at].isspace()):
        at += 1
    for title in _TITLES:
        if lower.startswith(title, at):
            end = at + len(title)
            if line.startswith(".", end):
                end += 1
            rest = line[end:]
            spaces = len(rest) - len(rest.lstrip())
            name = _NAME_TOKEN.match(line, end + spaces) if spaces else None
            if name:
                return name.group(), True
    name = _NAME_TOKEN.match(line, at)
    return (name.group(), False) if name else None
