"""Upward's built-in topic taxonomy and training modules.

This content is code rather than database rows or fixtures on purpose:

* it is **versioned** with the software, so every installation of a release starts
  from the same taxonomy and the same training text;
* it is **reviewed** like code: a change to a prompt or a training paragraph goes
  through a pull request, and the tests in ``tests/programs/test_catalogue.py``
  check its shape (counts, slugs, prompt form, reading length);
* it is **seeded on migrate**: the programs app copies :data:`TOPICS` and
  :data:`TRAINING_MODULES` into the database, where coordinators may add, rename
  and retire topics for their own organisation;
* its **slugs are stable forever**: CSV imports, enrolments, matching inputs and
  exports refer to topics by slug, so a slug, once released, is never changed or
  reused. Names and descriptions may be improved; a topic that is no longer wanted
  is retired, not deleted.

The module is pure Python (no Django import), so the matching command line, the
demo data and the tests can use it without a configured project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Category = Literal["digital_tools", "communication", "social_values", "leadership"]

CATEGORY_LABELS: dict[str, str] = {
    "digital_tools": "Digital tools",
    "communication": "Communication trends",
    "social_values": "Social values",
    "leadership": "Leadership perspective",
}


@dataclass(frozen=True)
class TopicSeed:
    """A built-in topic: something a mentor can teach or a leader can share."""

    #: Lowercase and hyphenated, stable forever (CSV files and enrolments use it).
    slug: str
    name: str
    category: Category
    #: One or two plain sentences.
    description: str
    #: Three to five open conversation prompts, used to draft session agendas.
    prompts: tuple[str, ...]


TOPICS: tuple[TopicSeed, ...] = (
    # --- Digital tools: what mentors teach -------------------------------------------------------
    TopicSeed(
        slug="generative-ai",
        name="Generative AI assistants",
        category="digital_tools",
        description=(
            "Chat-based AI tools that draft, summarise, brainstorm and write code, and how to use "
            "them well without handing over your judgement."
        ),
        prompts=(
            (
                "Show me one task you now do with an AI assistant: what did it change, and where "
                "do you not trust it?"
            ),
            (
                "What would you never paste into an AI tool at work, and how did you decide where "
                "that line is?"
            ),
            "How do you check whether an AI-generated answer is right before you rely on it?",
            (
                "If our team used AI assistants well a year from now, what would look different in "
                "a normal week?"
            ),
        ),
    ),
    TopicSeed(
        slug="short-video-platforms",
        name="Short-video platforms",
        category="digital_tools",
        description=(
            "TikTok, Instagram Reels, YouTube Shorts and similar: how people discover, learn and "
            "form opinions through short video, and what that means for employers and brands."
        ),
        prompts=(
            (
                "Which accounts or creators do you actually learn something from, and what makes "
                "them worth your time?"
            ),
            "What does a short video do that a press release or a long post cannot?",
            (
                "How would someone your age find out what it is like to work here, and what would "
                "they see?"
            ),
            "What makes people scroll straight past an organisation's video, or cringe at it?",
        ),
    ),
    TopicSeed(
        slug="collaboration-tools",
        name="Collaboration tools",
        category="digital_tools",
        description=(
            "Shared documents, team chat, task boards and wikis: working in one shared place "
            "instead of sending files back and forth."
        ),
        prompts=(
            (
                "Walk me through how a piece of work moves through your tools from first idea to "
                "done: where does it get stuck?"
            ),
            (
                "Which of my habits, such as attachments, long email chains or numbered file "
                "versions, create extra work for others?"
            ),
            "How do you decide whether something belongs in chat, a shared document or an email?",
            "What is one feature in a tool we already pay for that most people never use?",
        ),
    ),
    TopicSeed(
        slug="data-privacy-habits",
        name="Data privacy habits",
        category="digital_tools",
        description=(
            "Everyday practices for protecting personal data, your own and other people's: app "
            "permissions, sharing settings, tracking and consent."
        ),
        prompts=(
            "Which app permissions or sharing settings do you always change, and why?",
            (
                "If we checked who can see three of my shared documents right now, what do you "
                "think we would find?"
            ),
            (
                "What do people your age expect organisations to do with their data, and where do "
                "they feel let down?"
            ),
            "When has a company's use of your data surprised you, and what did you do about it?",
        ),
    ),
    TopicSeed(
        slug="professional-social-media",
        name="Social media for a professional brand",
        category="digital_tools",
        description=(
            "Using LinkedIn and other networks to share ideas, show what you and the organisation "
            "stand for and be easy to find, without it becoming a chore or a performance."
        ),
        prompts=(
            (
                "Whose professional posts do you actually read, and what makes them feel genuine "
                "rather than polished?"
            ),
            "What would you expect to find if you looked me up online before meeting me?",
            "What could I share that would be useful to others, and what should I steer clear of?",
            (
                "How much time a week would a sustainable presence take, and what could I stop "
                "doing to make room?"
            ),
        ),
    ),
    TopicSeed(
        slug="no-code-automation",
        name="No-code automation",
        category="digital_tools",
        description=(
            "Tools that let people who do not program connect apps and automate repetitive steps, "
            "from form workflows to spreadsheet scripts."
        ),
        prompts=(
            (
                "Which repetitive task in my week would you automate first, and how would you go "
                "about it?"
            ),
            "What have you automated for yourself that nobody asked you to?",
            (
                "Where does home-made automation become a risk for the organisation, and who "
                "should own it?"
            ),
            "What would it take for a team like mine to try one small automation this month?",
        ),
    ),
    TopicSeed(
        slug="data-literacy",
        name="Data literacy and dashboards",
        category="digital_tools",
        description=(
            "Reading charts and dashboards critically, asking good questions of numbers and "
            "spotting when a metric misleads."
        ),
        prompts=(
            "Pick a dashboard I look at regularly: what would you question first?",
            "How do you tell a real trend from noise when a number moves?",
            "Which decision in my area rests on a number nobody quite understands?",
            "What data do you wish you had in your own job, and what stops you getting it?",
        ),
    ),
    TopicSeed(
        slug="cybersecurity-hygiene",
        name="Cybersecurity hygiene",
        category="digital_tools",
        description=(
            "Password managers, multi-factor authentication, phishing and the small daily habits "
            "that keep accounts and organisations safe."
        ),
        prompts=(
            "How do you manage your passwords, and could you show me how that works in practice?",
            (
                "What does a convincing phishing message look like today, compared with a few "
                "years ago?"
            ),
            (
                "Which of my devices or accounts would you target first if you were an attacker, "
                "and why?"
            ),
            (
                "Why do sensible people still click suspicious links, and what would actually help "
                "them stop?"
            ),
        ),
    ),
    TopicSeed(
        slug="mobile-first-experience",
        name="Mobile-first customer experience",
        category="digital_tools",
        description=(
            "How customers and colleagues who live on their phones expect to find information, "
            "buy, ask for help and complain."
        ),
        prompts=(
            (
                "If we tried one thing our customers do, on your phone, where do you think it "
                "would get frustrating?"
            ),
            "Which company gets mobile service right for you, and what do they do that we do not?",
            "When would you rather message a company than call it, and why?",
            "What are our internal tools like on a phone, for colleagues who do not sit at a desk?",
        ),
    ),
    TopicSeed(
        slug="digital-whiteboards",
        name="Remote collaboration whiteboards",
        category="digital_tools",
        description=(
            "Online whiteboards such as Miro, Mural or FigJam for workshops, planning and thinking "
            "together across locations."
        ),
        prompts=(
            "What kind of meeting would work better on a shared whiteboard than on slides?",
            (
                "How do you get quieter people to contribute on a board, and what turns a board "
                "into chaos?"
            ),
            (
                "If we built a board together for a problem I am working on now, what structure "
                "would you start with?"
            ),
            "What happens to the board after the workshop, and how do decisions get out of it?",
        ),
    ),
    # --- Communication trends: what mentors teach ------------------------------------------------
    TopicSeed(
        slug="async-first-work",
        name="Async-first work",
        category="communication",
        description=(
            "Working through written updates, recorded messages and shared documents, so that "
            "fewer things need a meeting and people get time to focus."
        ),
        prompts=(
            "Which of my regular meetings could be a written update, and what would be lost?",
            "What does a good asynchronous update look like to you?",
            (
                "How quickly do you expect a reply to a message, and how quickly do you think I "
                "expect one?"
            ),
            "When has working asynchronously made things slower or lonelier for you?",
        ),
    ),
    TopicSeed(
        slug="chat-etiquette",
        name="Chat etiquette",
        category="communication",
        description=(
            "The unwritten rules of workplace chat: threads, reactions, statuses, mentions, "
            "response times and when to move a conversation somewhere else."
        ),
        prompts=(
            (
                "When a senior person sends a message that just says “Can we talk”, what do you "
                "read into it?"
            ),
            "Which chat habits quietly annoy people, and which of them do I have?",
            "How do you decide between a channel, a direct message and a call?",
            "Which statuses and reactions do people misread, and what do they mean to you?",
        ),
    ),
    TopicSeed(
        slug="hybrid-meetings",
        name="Hybrid meetings",
        category="communication",
        description=(
            "Meetings where some people share a room and others join remotely, and how to make "
            "them fair for everyone."
        ),
        prompts=(
            "In a hybrid meeting I run, what is it like to be one of the people on the screen?",
            "What small changes would make remote participants equals rather than spectators?",
            "When does a hybrid meeting work better than everyone remote or everyone in the room?",
            "How do you get a word in when the room is doing all the talking?",
        ),
    ),
    TopicSeed(
        slug="emoji-and-tone",
        name="Emoji and tone in writing",
        category="communication",
        description=(
            "How punctuation, emoji, brevity and sign-offs change how a message feels, and why the "
            "same words can read differently across generations."
        ),
        prompts=(
            (
                "How do a few of my recent messages come across to you, and which words or "
                "punctuation set the tone?"
            ),
            "Which emoji mean something different from what an older colleague might think?",
            "Why can a full stop at the end of a short message feel cold to some people?",
            "When is an emoji the right choice at work, and when is it better left out?",
        ),
    ),
    TopicSeed(
        slug="feedback-culture",
        name="Feedback culture",
        category="communication",
        description=(
            "The expectation of frequent, informal, two-way feedback rather than an annual review, "
            "and how a team makes that normal."
        ),
        prompts=(
            "How often do you want feedback, and in what form does it actually help you?",
            "What makes it hard for you to give feedback to someone more senior?",
            "What is the best piece of feedback you have received, and how was it delivered?",
            "What would my team say if I asked them how I could make feedback easier?",
        ),
    ),
    TopicSeed(
        slug="internet-culture-literacy",
        name="Meme and internet culture literacy",
        category="communication",
        description=(
            "The references, humour and formats that shape online conversation, so that leaders "
            "neither miss the point nor misuse it."
        ),
        prompts=(
            (
                "What is a meme or reference going round at the moment, and what does it say about "
                "how people feel?"
            ),
            "When have you seen a brand or a leader join an internet trend and get it wrong?",
            "How can I tell whether something online is a joke, irony or meant sincerely?",
            "Where do you go to keep up, and how much of it is worth a leader's attention?",
        ),
    ),
    TopicSeed(
        slug="inclusive-language",
        name="Inclusive language",
        category="communication",
        description=(
            "Choosing words that include rather than exclude, from names and pronouns to job "
            "adverts and everyday phrases whose history people may not know."
        ),
        prompts=(
            "Which everyday phrases at work have you seen make someone feel left out?",
            "How do you handle it when you get someone's name or pronouns wrong?",
            "What would you change in one of our recent job adverts or announcements?",
            (
                "How can we talk about inclusive language without people feeling policed or afraid "
                "to speak?"
            ),
        ),
    ),
    TopicSeed(
        slug="short-formats-and-attention",
        name="Shorter formats and attention",
        category="communication",
        description=(
            "Writing and presenting for people who skim: the point first, shorter documents, clear "
            "requests and formats that respect limited attention."
        ),
        prompts=(
            (
                "If you had thirty seconds with one of my documents, what would you read and what "
                "would you skip?"
            ),
            "How would you rewrite my last long email so that the request is clear?",
            "Honestly, what do you do with information that reaches you in long formats?",
            "Where does short become too short, so that nuance gets lost?",
        ),
    ),
    TopicSeed(
        slug="transparent-communication",
        name="Transparent communication",
        category="communication",
        description=(
            "Sharing the reasons behind decisions, admitting what is not yet known and staying "
            "open while things are uncertain."
        ),
        prompts=(
            "When did a leader's explanation of a decision change how you felt about it?",
            (
                "What do people at your level hear about decisions, and where does that "
                "information come from?"
            ),
            "What would you want me to say when I cannot share everything?",
            "How do rumours fill the gap when leaders say nothing, and what have you seen them do?",
        ),
    ),
    # --- Social values: what mentors teach -------------------------------------------------------
    TopicSeed(
        slug="sustainability",
        name="Sustainability",
        category="social_values",
        description=(
            "Environmental responsibility at work, from the organisation's footprint to everyday "
            "choices, and why it matters to employees and customers."
        ),
        prompts=(
            (
                "How much does an employer's environmental record matter to you and your friends "
                "when choosing where to work?"
            ),
            "Where do you see a gap between what we say about sustainability and what we do?",
            (
                "What is one change in my area that would make a real difference rather than a "
                "symbolic one?"
            ),
            "How do you tell genuine action from greenwashing?",
        ),
    ),
    TopicSeed(
        slug="wellbeing-at-work",
        name="Wellbeing at work",
        category="social_values",
        description=(
            "Workload, rest, boundaries and the everyday conditions that let people do good work "
            "over the long term."
        ),
        prompts=(
            "What does a good working week look like for you, and how often do you get one?",
            (
                "Which of my habits, such as late-night emails or weekend messages, put pressure "
                "on others without my meaning to?"
            ),
            "What do you do to switch off, and what makes that hard?",
            (
                "What does it look like when a manager genuinely cares about wellbeing rather than "
                "just mentioning it?"
            ),
        ),
    ),
    TopicSeed(
        slug="inclusion",
        name="Inclusion",
        category="social_values",
        description=(
            "Making sure people of every background can take part, be heard and progress, in "
            "meetings, in decisions and in their careers."
        ),
        prompts=(
            (
                "When have you felt most included at work, and what did someone do to make that "
                "happen?"
            ),
            "Who tends not to be heard in the meetings you attend, and why do you think that is?",
            "What would you notice first about inclusion if you sat in on one of my meetings?",
            (
                "What is one thing a senior leader could do this month that people would actually "
                "notice?"
            ),
        ),
    ),
    TopicSeed(
        slug="purpose-at-work",
        name="Purpose and meaning at work",
        category="social_values",
        description=(
            "Why the work matters, to the people doing it and to the wider world, and how a sense "
            "of purpose shapes motivation and career choices."
        ),
        prompts=(
            "What makes a working day feel worthwhile to you?",
            "How would you explain what our organisation is for, in your own words?",
            "When did you last feel proud of something we did, and when did you last feel uneasy?",
            "How much salary or status would you trade for work that feels meaningful?",
        ),
    ),
    TopicSeed(
        slug="flexible-working",
        name="Flexibility and work–life integration",
        category="social_values",
        description=(
            "Where, when and how people work: expectations around hybrid working and flexible "
            "hours, and the blurred line between work and the rest of life."
        ),
        prompts=(
            "What does flexibility mean to you in practice: time, place or something else?",
            "What do you think people assume about you when you work from home?",
            "Where does flexibility help the team, and where does it make working together harder?",
            "How do you decide when to be available and when not to be?",
        ),
    ),
    TopicSeed(
        slug="mental-health-openness",
        name="Mental health openness",
        category="social_values",
        description=(
            "Talking about mental health at work with less stigma, and what good support from "
            "colleagues and leaders looks like."
        ),
        prompts=(
            (
                "How comfortable are people your age talking about mental health at work, and what "
                "makes the difference?"
            ),
            (
                "What would you want a leader to say, or not say, if you told them you were "
                "struggling?"
            ),
            "What have you seen leaders do that made it easier, or harder, to ask for help?",
            "Where is the line between being open and oversharing, for you?",
        ),
    ),
    TopicSeed(
        slug="ethical-technology",
        name="Ethical technology",
        category="social_values",
        description=(
            "Questions of fairness, bias, surveillance and accountability raised by the technology "
            "an organisation builds, buys or uses."
        ),
        prompts=(
            "Which use of technology at work or in our products makes you uneasy, and why?",
            "How would we know if a tool we use treated some people unfairly?",
            "Where should the line be on monitoring employees, and who should decide?",
            "What should a leader ask before approving a new AI or data project?",
        ),
    ),
    TopicSeed(
        slug="diversity-of-thought",
        name="Diversity of thought",
        category="social_values",
        description=(
            "Valuing different perspectives, backgrounds and ways of thinking, and resisting the "
            "comfort of easy agreement."
        ),
        prompts=(
            "When did a view very different from yours change your mind?",
            "How would you spot groupthink in a leadership team from the outside?",
            "Which perspectives are missing from the decisions made in my area?",
            "How can someone disagree with a senior person here without it costing them?",
        ),
    ),
    TopicSeed(
        slug="learning-culture",
        name="Learning culture",
        category="social_values",
        description=(
            "How people expect to keep learning at work: short courses, peers, online communities "
            "and time to experiment."
        ),
        prompts=(
            "How did you learn the last new skill you picked up, and how long did it take?",
            "Where do you go first when you need to learn something quickly?",
            "What would make it safe to try something new here and fail at it?",
            "What could I learn in public, so that others feel freer to do the same?",
        ),
    ),
    TopicSeed(
        slug="accessibility",
        name="Accessibility",
        category="social_values",
        description=(
            "Documents, meetings, products and workplaces that disabled people can use fully, from "
            "captions to files that work with a screen reader."
        ),
        prompts=(
            "Which accessibility features do you, or people you know, use every day?",
            (
                "How accessible are the documents and slides I send out, and how could we check "
                "together?"
            ),
            "When have you seen an event or a tool shut someone out without anyone noticing?",
            (
                "Who should be involved early when we design something new, so that accessibility "
                "is not an afterthought?"
            ),
        ),
    ),
    # --- Leadership perspective: what leaders share back -----------------------------------------
    TopicSeed(
        slug="strategy",
        name="Strategy",
        category="leadership",
        description=(
            "How an organisation chooses where to focus and how to succeed, and how strategy turns "
            "into everyday priorities."
        ),
        prompts=(
            "What do you think our strategy is, in one sentence, and where did you learn it?",
            "How do you decide what not to do, and how do you explain that to the people affected?",
            "How does a strategy get from a slide deck into what a team does on Monday morning?",
            "Which trend in your world do you think our strategy has not caught up with yet?",
        ),
    ),
    TopicSeed(
        slug="decisions-under-uncertainty",
        name="Decision-making under uncertainty",
        category="leadership",
        description=(
            "Making good decisions with incomplete information: telling reversible from "
            "irreversible choices, weighing risks and learning from outcomes."
        ),
        prompts=(
            (
                "Tell me about a decision you had to make without enough information: how did you "
                "decide?"
            ),
            (
                "How do you tell a decision you can reverse from one you cannot, and how does that "
                "change how fast you move?"
            ),
            "How do you separate a bad decision from a good decision that had a bad outcome?",
            "What information do you wish people brought you before you decide?",
        ),
    ),
    TopicSeed(
        slug="stakeholder-management",
        name="Stakeholder management",
        category="leadership",
        description=(
            "Understanding who has a stake in a piece of work, what they need and how to bring "
            "them along."
        ),
        prompts=(
            "How do you work out who really needs to be consulted before something goes ahead?",
            (
                "Tell me about a stakeholder you found difficult: what did you learn about working "
                "with them?"
            ),
            "What do senior stakeholders want to see in a first conversation about a new idea?",
            "How would you get attention for a project from someone senior who does not know you?",
        ),
    ),
    TopicSeed(
        slug="career-navigation",
        name="Career navigation",
        category="leadership",
        description=(
            "How careers actually develop: choosing roles, moving sideways, finding sponsors, and "
            "what leaders notice when they spot potential."
        ),
        prompts=(
            (
                "Which career move mattered most for you, and did it look like the obvious choice "
                "at the time?"
            ),
            (
                "What do the people who decide promotions notice that junior staff often do not "
                "realise?"
            ),
            "What is the difference between a mentor and a sponsor, and how did you find yours?",
            "What would you do in my position now, knowing what you know about this organisation?",
        ),
    ),
    TopicSeed(
        slug="influencing-without-authority",
        name="Influencing without authority",
        category="leadership",
        description=(
            "Getting things done through people who do not report to you: credibility, give and "
            "take, framing and timing."
        ),
        prompts=(
            "How do you get people to act on an idea when you cannot tell them to?",
            (
                "Who in the organisation has influence beyond their job title, and where does it "
                "come from?"
            ),
            "How would you frame one of my ideas so that it lands with someone senior?",
            "When have you changed your mind because of someone with no formal power?",
        ),
    ),
    TopicSeed(
        slug="business-finance-basics",
        name="Business finance basics",
        category="leadership",
        description=(
            "Revenue, cost, margin, budgets and business cases, and how money shapes which ideas "
            "get approved."
        ),
        prompts=(
            "How is the budget for an area like yours decided, and who has a say?",
            "What makes a business case convincing when it lands on your desk?",
            "Which numbers do you look at first to judge whether the organisation is doing well?",
            (
                "Why do some good ideas never get funded, and what could their champions have done "
                "differently?"
            ),
        ),
    ),
    TopicSeed(
        slug="organisational-politics",
        name="Navigating organisational politics",
        category="leadership",
        description=(
            "Understanding informal power, relationships and timing, and working with them without "
            "losing your integrity."
        ),
        prompts=(
            (
                "What does “politics” look like in a healthy organisation, and when does it turn "
                "unhealthy?"
            ),
            (
                "How do you find out how decisions are really made, as opposed to what the "
                "organisation chart says?"
            ),
            (
                "Tell me about a time you had to handle competing interests between senior "
                "colleagues: what did you do?"
            ),
            "How can someone early in their career build allies without feeling fake?",
        ),
    ),
    TopicSeed(
        slug="leading-through-change",
        name="Leading through change",
        category="leadership",
        description=(
            "Guiding people through reorganisations, new technology and uncertainty: "
            "communicating, listening to resistance and keeping momentum."
        ),
        prompts=(
            "What is the hardest change you have led, and what would you do differently now?",
            "How do you tell useful resistance from fear of the unknown?",
            "What do people at my level need to hear during a change, and how often?",
            (
                "How do you look after yourself when you are leading people through something you "
                "have doubts about?"
            ),
        ),
    ),
    TopicSeed(
        slug="difficult-conversations",
        name="Having difficult conversations",
        category="leadership",
        description=(
            "Preparing for and holding conversations about performance, disagreement or bad news "
            "with honesty and care."
        ),
        prompts=(
            "How do you prepare for a conversation you are dreading?",
            "What have you learned about delivering bad news that you wish you had known earlier?",
            "How do you stay steady when a conversation turns emotional or hostile?",
            "Which difficult conversation am I putting off at the moment, and how might I open it?",
        ),
    ),
)

_TOPICS_BY_SLUG: dict[str, TopicSeed] = {topic.slug: topic for topic in TOPICS}


def topic_by_slug(slug: str) -> TopicSeed:
    """The built-in topic with this slug; ``KeyError`` naming the slug if there is none."""
    try:
        return _TOPICS_BY_SLUG[slug]
    except KeyError:
        raise KeyError(f"no built-in topic has the slug {slug!r}") from None


# --- Training ----------------------------------------------------------------------------------

Role = Literal["mentor", "mentee"]


@dataclass(frozen=True)
class TrainingSection:
    """One headed part of a module.

    Paragraphs are plain text (no HTML or Markdown). A short list is written as
    consecutive paragraphs that each start with "• ".
    """

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class TrainingModule:
    """A short module (about five minutes of reading) for one role."""

    slug: str
    role: Role
    title: str
    #: Estimated reading time.
    minutes: int
    #: One sentence, shown in lists.
    summary: str
    sections: tuple[TrainingSection, ...]
    #: Answered privately by the participant at the end; only they can read the answer.
    reflection_prompt: str


TRAINING_MODULES: tuple[TrainingModule, ...] = (
    # --- For mentors -----------------------------------------------------------------------------
    TrainingModule(
        slug="candid-upward-feedback",
        role="mentor",
        title="Giving candid feedback to a senior leader",
        minutes=5,
        summary=(
            "How to tell a senior leader something true and useful, specifically and kindly, even "
            "when the difference in power makes it feel risky."
        ),
        sections=(
            TrainingSection(
                heading="Why your candour is the point",
                paragraphs=(
                    (
                        "Your mentee joined this program to hear what the people around them no "
                        "longer tell them. The more senior someone becomes, the more their "
                        "information is filtered: reports arrive polished, disagreement is "
                        "softened, and jokes that fall flat still get a polite laugh. You are one "
                        "of the few people with a standing invitation to say what you actually "
                        "see."
                    ),
                    (
                        "That does not make it easy. Most of us have learned, sensibly, to be "
                        "careful with people who have influence over careers. It helps to remember "
                        "three things. Your mentee asked for this. Your conversations stay between "
                        "the two of you. And candour is not the same as bluntness: it means saying "
                        "something true and useful, in a way the other person can act on."
                    ),
                ),
            ),
            TrainingSection(
                heading="Agree the terms before you need them",
                paragraphs=(
                    (
                        "Feedback is far easier to give once you have both agreed how it will "
                        "work. In your first or second session, ask directly:"
                    ),
                    "• What kind of feedback would be most useful to you from me?",
                    "• How would you like me to raise something that might be uncomfortable?",
                    "• What should I do if I notice you getting defensive?",
                    (
                        "Write the answers into your shared notes. Later, when you hesitate, you "
                        "can point back to them: “You asked me to tell you when…”. That turns a "
                        "personal risk into an agreed part of your role."
                    ),
                ),
            ),
            TrainingSection(
                heading="Situation, behaviour, impact",
                paragraphs=(
                    (
                        "A simple structure keeps feedback specific and fair. Describe the "
                        "situation, the behaviour you observed and its impact, then stop and let "
                        "the other person respond."
                    ),
                    (
                        "• Situation: when and where. “In Tuesday's all-staff call, when questions "
                        "were opened…”"
                    ),
                    (
                        "• Behaviour: what you saw or heard, not what you think it means. “…you "
                        "answered the first two and then moved on to the next item.”"
                    ),
                    (
                        "• Impact: what it did to you or to others. “Several people in my team "
                        "still had questions in the chat, and took it as a sign that questions "
                        "were not really wanted.”"
                    ),
                    (
                        "Notice what is missing: labels such as “dismissive” or “out of touch”, "
                        "guesses about motives, and advice nobody has asked for yet. Behaviour can "
                        "be changed; a label only invites an argument. If you have a suggestion, "
                        "offer it afterwards as a question: “Would it help if someone read out the "
                        "chat questions next time?”"
                    ),
                ),
            ),
            TrainingSection(
                heading="Saying the harder things",
                paragraphs=(
                    (
                        "Some feedback will be more sensitive: how a decision landed with junior "
                        "staff, how your mentee comes across in writing, or a habit that undercuts "
                        "what they say they value. A few practices help."
                    ),
                    (
                        "• Ask permission in the moment: “Can I give you an honest reaction to "
                        "that?” A yes makes your mentee a partner in the conversation."
                    ),
                    (
                        "• Speak for yourself and what you have seen. “I noticed” and “people in "
                        "my team said” are stronger than “everyone thinks”."
                    ),
                    (
                        "• Make one point at a time. A list of five criticisms feels like an "
                        "ambush; one clear point gets considered."
                    ),
                    (
                        "• Do not soften it until it disappears. Wrapping a criticism between two "
                        "compliments often means only the compliments are heard."
                    ),
                    (
                        "Say what works well, too. Specific praise, such as “when you admitted you "
                        "did not know the answer, it made it easier for others to ask”, tells a "
                        "leader what to keep doing, and it is just as rare at their level."
                    ),
                ),
            ),
            TrainingSection(
                heading="When it does not land",
                paragraphs=(
                    (
                        "Sometimes your mentee will explain, justify or go quiet. That is a normal "
                        "first reaction, not a verdict. You do not need to win the point. Say "
                        "something like “That's fair; I wanted you to know how it came across”, "
                        "and leave it with them. Many people need time before they can take "
                        "feedback on board, and the best sign that it landed is often a change you "
                        "notice weeks later."
                    ),
                    (
                        "If a pattern makes it feel unsafe to speak, for instance your mentee "
                        "repeatedly brushes aside what you say or reacts with irritation, you do "
                        "not have to carry that alone. Raise it in a session if you can, or use "
                        "the confidential “ask the coordinator for support” button. Either of you "
                        "can also end the pairing without blame."
                    ),
                ),
            ),
        ),
        reflection_prompt=(
            "What is one thing you have noticed about your mentee that would be useful for them to "
            "hear, and how would you put it as situation, behaviour and impact?"
        ),
    ),
    TrainingModule(
        slug="explaining-without-jargon",
        role="mentor",
        title="Explaining without jargon",
        minutes=5,
        summary=(
            "How to teach a new tool or trend by starting from what your mentee already knows, "
            "using plain words and letting them do it themselves."
        ),
        sections=(
            TrainingSection(
                heading="Start from their world",
                paragraphs=(
                    (
                        "Your mentee is an expert in plenty of things, just not the tool or trend "
                        "you are about to explain. The quickest way in is through what they "
                        "already know. Before you explain anything, ask what they have seen or "
                        "tried so far and what they would want it to help them with. “What made "
                        "you want to look at this?” tells you far more than any assumption about "
                        "their age or role."
                    ),
                    (
                        "Then anchor the new idea to something familiar. A shared document is “one "
                        "copy of the file that everyone edits, so there is no latest version to "
                        "chase”. A chat channel is “a standing meeting room for one subject, where "
                        "the conversation stays written down”. Analogies are never perfect, but "
                        "they give a new idea somewhere to land."
                    ),
                ),
            ),
            TrainingSection(
                heading="Spot your own jargon",
                paragraphs=(
                    (
                        "Jargon is hard to notice from the inside. Words you use every day, such "
                        "as DM, thread, prompt, feed, story or ping, may mean nothing to your "
                        "mentee, or something slightly different. Senior people often will not "
                        "stop you to ask: they are used to being the one who knows, and they may "
                        "not want to slow you down."
                    ),
                    "A few habits help:",
                    (
                        "• Say the plain meaning first and the term second: “a private message to "
                        "one person, which people call a DM”."
                    ),
                    "• Avoid acronyms, or spell them out the first time.",
                    (
                        "• When you name a product, say what kind of thing it is: “Trello, a board "
                        "of cards for tracking tasks”."
                    ),
                    (
                        "• Watch for nods without questions. Pause, and ask how it compares with "
                        "something they already use."
                    ),
                    (
                        "• Keep a list of the terms you have explained in your shared notes, so "
                        "your mentee can look back at it."
                    ),
                ),
            ),
            TrainingSection(
                heading="Show, then hand over the controls",
                paragraphs=(
                    (
                        "People learn tools by using them, not by watching someone else click "
                        "quickly. Show the task once, slowly, saying what you are doing and why. "
                        "Then let your mentee do it on their own device or account while you talk "
                        "them through it. Resist the urge to take the mouse or the phone back, "
                        "even when it would be faster: the fumbling is where the learning happens."
                    ),
                    (
                        "Choose a real task over a demonstration. Summarising their own meeting "
                        "notes with an AI assistant, or posting a genuine update in their team's "
                        "channel, teaches more than a made-up example, and leaves them with "
                        "something they can repeat on Monday. Afterwards, suggest they write the "
                        "steps in their own words in your shared notes: if they can explain it "
                        "back, they can do it again."
                    ),
                ),
            ),
            TrainingSection(
                heading="Explain the why, not only the how",
                paragraphs=(
                    (
                        "Trends and habits are harder to explain than buttons. When you describe "
                        "why many people prefer a message to a phone call, or why a short video "
                        "gets more attention than a long post, explain the reasoning: control over "
                        "timing, less pressure, time to think before replying. Reasons travel "
                        "better than rules, and they let your mentee judge new situations for "
                        "themselves."
                    ),
                    (
                        "Be honest about the limits, too. You speak from your own experience and "
                        "what you see around you, not for a whole generation. “Among the people I "
                        "work with…” is more accurate, and more persuasive, than “young people "
                        "all…”."
                    ),
                ),
            ),
            TrainingSection(
                heading="Check understanding without testing",
                paragraphs=(
                    (
                        "“Does that make sense?” nearly always gets a yes. Better questions invite "
                        "your mentee to use what they have just learned: “What would you try first "
                        "on your own?”, “Where could this help your team?”, “What still feels "
                        "unclear?” If they struggle to answer, the explanation needs another go, "
                        "and that is a useful thing to have found out together."
                    ),
                    (
                        "Finally, agree a small next step your mentee will try before your next "
                        "session, and start that session by asking how it went. Learning a tool "
                        "sticks when it is used between sessions, not only during them."
                    ),
                ),
            ),
        ),
        reflection_prompt=(
            "Which term or habit from your everyday work did you assume your mentee already knew, "
            "and how would you explain it in plain words next time?"
        ),
    ),
    TrainingModule(
        slug="confidentiality-mentor",
        role="mentor",
        title="Confidentiality and trust for mentors",
        minutes=5,
        summary=(
            "What stays between you and your mentee, who can see what in Upward, and what to do "
            "when something does not feel right."
        ),
        sections=(
            TrainingSection(
                heading="Why confidentiality comes first",
                paragraphs=(
                    (
                        "Reverse mentoring works only if both of you can speak freely. Your mentee "
                        "may tell you about decisions that are not yet announced, colleagues they "
                        "find difficult or things they are unsure of. You may tell them how their "
                        "teams really feel, or how a decision landed. Neither of you will do that "
                        "unless you trust that it stays between you."
                    ),
                    (
                        "So treat your conversations as confidential by default. Early on, agree "
                        "with your mentee what, if anything, either of you may share more widely: "
                        "for example, a general lesson you would like to pass on to your team "
                        "without the details. When you are not sure, ask first. Remember that even "
                        "the outline of a conversation can be a breach: telling a colleague “my "
                        "mentee is worried about the restructure” gives away something that was "
                        "not yours to share."
                    ),
                ),
            ),
            TrainingSection(
                heading="What Upward keeps, and who can read it",
                paragraphs=(
                    (
                        "Upward is built so that the platform keeps the same promises you make to "
                        "each other:"
                    ),
                    (
                        "• Private notes are yours alone. They are encrypted when stored, and only "
                        "you, their author, can read them. Your mentee, the coordinator and "
                        "administrators cannot."
                    ),
                    (
                        "• Shared notes, session summaries, goals and insights are visible to the "
                        "two of you in the pair, and to nobody else."
                    ),
                    (
                        "• The coordinator sees metadata and aggregates: that your pair exists, "
                        "when sessions took place, how many goals you have and their status. They "
                        "never see what your notes say or how you answered an individual check-in."
                    ),
                    (
                        "• Check-in answers are reported only in aggregate, and only when enough "
                        "people have answered that nobody can be singled out."
                    ),
                    (
                        "• No rating of your mentee, or of you, reaches management. The program is "
                        "about learning, not evaluation."
                    ),
                    (
                        "Remember that your mentee will read anything you write in a shared note. "
                        "Keep your own reflections in private notes."
                    ),
                ),
            ),
            TrainingSection(
                heading="Holding a leader's confidences",
                paragraphs=(
                    (
                        "Because of your mentee's position, you may hear things that are sensitive "
                        "for the organisation: plans, restructures, other people's performance. Do "
                        "not repeat them or hint at them, even to friends you trust, and do not "
                        "use what you learn to get ahead at work; that would break the trust the "
                        "whole program depends on. If your mentee starts to tell you something you "
                        "would rather not know, it is fine to say so. The same care applies the "
                        "other way: if your mentee asks about your team or your manager, you can "
                        "share your own experience without reporting on named colleagues."
                    ),
                    (
                        "Confidentiality has sensible limits. If you learn of a serious risk to "
                        "someone's safety, or of something unlawful, you should not carry it "
                        "alone: talk to the coordinator or use your organisation's usual reporting "
                        "route. Such situations are rare, and mentioning this limit at the start "
                        "makes it easier if one ever arises."
                    ),
                ),
            ),
            TrainingSection(
                heading="When something is not right",
                paragraphs=(
                    (
                        "If a session leaves you uneasy, because you feel unable to speak freely, "
                        "your mentee oversteps or the exchange feels one-sided, you have options. "
                        "You can raise it with your mentee directly, in the same candid spirit as "
                        "the rest of your work together. Or you can use the “ask the coordinator "
                        "for support” button: your request goes only to the coordinator of your "
                        "program, not to your mentee or your manager, and it is handled in "
                        "confidence."
                    ),
                    (
                        "Either of you can also end the pairing without blame. If you do, your "
                        "mentee is told only that the pairing has ended, never why, and you can "
                        "both be matched again. Ending a pairing that is not working is a sensible "
                        "decision, not a failure, and it will not be held against you."
                    ),
                    (
                        "Finally, answer your check-ins honestly. They are reported only in "
                        "aggregate, and they are how the program learns whether mentors feel able "
                        "to speak, without anyone being named."
                    ),
                ),
            ),
        ),
        reflection_prompt=(
            "What would you like to agree with your mentee about confidentiality in your first "
            "session, and is there anything you would find hard to keep to yourself?"
        ),
    ),
    # --- For mentees -----------------------------------------------------------------------------
    TrainingModule(
        slug="active-listening",
        role="mentee",
        title="Active listening",
        minutes=5,
        summary=(
            "How to listen so that your mentor keeps talking: full attention, comfortable silence, "
            "reflecting back and following up."
        ),
        sections=(
            TrainingSection(
                heading="Why listening is the harder half",
                paragraphs=(
                    (
                        "For most of your working day, people come to you for answers, decisions "
                        "and direction. Reverse mentoring asks the opposite: your mentor holds the "
                        "knowledge, and your job is to take it in. That sounds easy, but "
                        "experienced leaders often find it the hardest part. Habits that serve you "
                        "well elsewhere, such as spotting the problem quickly, steering the "
                        "conversation and offering a solution, can quietly shut a junior colleague "
                        "down."
                    ),
                    (
                        "Your mentor is also likely to hold back at first. They may edit what they "
                        "say, wait for a sign that honesty is welcome, or stop at the first hint "
                        "of disagreement. The way you listen is that sign."
                    ),
                ),
            ),
            TrainingSection(
                heading="Listen to understand, not to reply",
                paragraphs=(
                    (
                        "Active listening means giving the other person your full attention and "
                        "working to understand what they mean, not only what they say. In "
                        "practice:"
                    ),
                    (
                        "• Put your phone away and close other windows. A glance at a notification "
                        "tells your mentor they are not the priority."
                    ),
                    (
                        "• Notice the urge to interrupt, correct or solve, and let it pass. Let "
                        "them finish the thought."
                    ),
                    (
                        "• Get comfortable with silence. A pause of a few seconds often brings out "
                        "the most honest part of an answer."
                    ),
                    (
                        "• Listen for what sits behind the words: what they seem to care about, "
                        "what they hesitate over, what they skip."
                    ),
                    (
                        "Notice your own filters as well. When your mentor describes a habit that "
                        "seems trivial or odd, such as preferring a message to a phone call, treat "
                        "it as information about how many of your colleagues work, not as a quirk "
                        "to correct. If you catch yourself thinking “that would never work here”, "
                        "turn the thought into a question: “What would it take for that to work "
                        "here?”"
                    ),
                ),
            ),
            TrainingSection(
                heading="Show that you have heard",
                paragraphs=(
                    (
                        "People keep talking when they can tell they are being understood. Three "
                        "simple techniques help."
                    ),
                    (
                        "Reflect back: repeat the gist in your own words. “So the problem isn't "
                        "the tool itself, it's that nobody agreed where things should be posted.” "
                        "If you have got it wrong, your mentor can correct you, which is just as "
                        "useful."
                    ),
                    (
                        "Summarise: at the end of a topic, pull together what you have heard. “Let "
                        "me check I have this right: there are three things…”. It shows you were "
                        "paying attention and gives you both a chance to spot gaps."
                    ),
                    (
                        "Acknowledge feelings lightly: “That sounds frustrating.” You do not have "
                        "to agree with everything to recognise how it felt."
                    ),
                    (
                        "Hold back advice until you have understood. If you do want to offer a "
                        "view, ask first whether it would be welcome: “Would it help if I shared "
                        "how we handled something similar?”"
                    ),
                ),
            ),
            TrainingSection(
                heading="Listening on a video call",
                paragraphs=(
                    (
                        "Many sessions will happen on screen, where attention is harder to show. "
                        "Keep your camera on if you can, and resist the temptation to glance at "
                        "other work. Because calls carry a slight delay, allow a longer pause "
                        "before you respond; otherwise you will keep talking over each other, and "
                        "your mentor may give up on the end of their sentence. If you take notes "
                        "during the call, say so, so that looking down does not read as "
                        "distraction."
                    ),
                ),
            ),
            TrainingSection(
                heading="What you do afterwards",
                paragraphs=(
                    (
                        "The strongest proof that you listened comes later. Write down what you "
                        "learned, and start the next session by mentioning something your mentor "
                        "said last time and what you did with it. When one of their ideas changes "
                        "what you do, record it in the insight log so they can see its effect."
                    ),
                    (
                        "Junior colleagues rarely get to see their ideas influence a senior "
                        "leader. Showing your mentor that you heard them, and acted, is one of the "
                        "most valuable things you can do in this program."
                    ),
                ),
            ),
        ),
        reflection_prompt=(
            "In your last conversation with your mentor, when did you most want to interrupt, "
            "correct or solve, and what might you have learned by waiting?"
        ),
    ),
    TrainingModule(
        slug="asking-open-questions",
        role="mentee",
        title="Asking open questions",
        minutes=5,
        summary=(
            "How to ask questions that draw out your mentor's own views and experience, rather "
            "than confirm what you already think."
        ),
        sections=(
            TrainingSection(
                heading="Closed, leading and open questions",
                paragraphs=(
                    (
                        "The kind of question you ask shapes the answer you get. A closed question "
                        "can be answered with yes, no or a fact: “Do you use AI tools?” A leading "
                        "question signals the answer you expect: “You don't really trust those AI "
                        "tools, do you?” An open question invites the other person to think and "
                        "explain: “How do you decide when to use an AI tool, and when not to?”"
                    ),
                    (
                        "Closed questions are useful for checking facts. Leading questions are "
                        "best avoided, especially from someone senior, because your mentor may "
                        "simply agree with you. Open questions are where the learning is: they let "
                        "your mentor tell you what you did not know to ask about."
                    ),
                ),
            ),
            TrainingSection(
                heading="Openers that work",
                paragraphs=(
                    "Open questions often begin with what, how, tell me or show me:",
                    "• “What do you notice first about how we communicate as an organisation?”",
                    "• “How would you approach this if it were your project?”",
                    "• “Tell me about a time a tool changed the way you work.”",
                    "• “What surprises you about how decisions get made here?”",
                    "• “Show me how you would do this, step by step.”",
                    "• “What would you do differently if you were in my role?”",
                    (
                        "Questions that ask for examples, such as “What did that look like?” or "
                        "“Can you think of a recent case?”, turn general opinions into something "
                        "concrete you can learn from."
                    ),
                ),
            ),
            TrainingSection(
                heading="Follow the answer",
                paragraphs=(
                    (
                        "Your first question opens the door; the follow-up is where you walk "
                        "through it. Instead of moving straight to your next prepared question, "
                        "stay with what your mentor has just said: “Tell me more about that”, "
                        "“What happened next?”, or “What do you make of it?” A session built on "
                        "two or three well-followed answers is usually richer than one that works "
                        "through a list."
                    ),
                    (
                        "Ask one question at a time. Several questions in one breath let the other "
                        "person pick the easiest, and the rest are rarely answered."
                    ),
                    (
                        "Silence is part of questioning, too. After an open question, wait. Your "
                        "mentor may need a moment to decide how honest to be, and filling the gap "
                        "with a second question, or with your own answer, takes that choice away "
                        "from them."
                    ),
                ),
            ),
            TrainingSection(
                heading="Traps to avoid",
                paragraphs=(
                    "A few habits make questions less open than they sound:",
                    (
                        "• “Why” can feel like a challenge coming from someone senior. “Why did "
                        "you do it that way?” may be heard as criticism; “What led you to do it "
                        "that way?” asks the same thing more gently."
                    ),
                    (
                        "• Advice disguised as a question, such as “Have you thought about…?”, is "
                        "still advice. If you have a suggestion, offer it openly and separately."
                    ),
                    (
                        "• Test questions, where you already know the answer, put your mentor on "
                        "the spot. Ask what you genuinely want to know."
                    ),
                    (
                        "• Questions about a whole generation, such as “What do young people "
                        "think?”, invite a spokesperson's answer. Ask about your mentor's own "
                        "experience instead."
                    ),
                    (
                        "• Rapid-fire questions turn a conversation into an interview. Leave room "
                        "for your mentor to bring up what they think matters."
                    ),
                ),
            ),
            TrainingSection(
                heading="Let questions flow both ways",
                paragraphs=(
                    (
                        "Invite your mentor to question you, too. Reverse mentoring is a two-way "
                        "exchange, and your mentor can learn a great deal by asking how you make "
                        "decisions or how your career unfolded. Answering openly, including about "
                        "your mistakes, shows the kind of honesty you hope to receive."
                    ),
                    (
                        "Before each session, note two or three questions you genuinely want "
                        "answered, drawn from your goals or from the topic prompts in Upward. "
                        "Treat them as a starting point, not a script. And at the end, try one "
                        "last question: “What didn't I ask that I should have?” It often brings "
                        "out the most useful point of the hour."
                    ),
                ),
            ),
        ),
        reflection_prompt=(
            "What is a question you tend to ask as a suggestion or a test, and how could you "
            "rephrase it as a genuinely open one?"
        ),
    ),
    TrainingModule(
        slug="receiving-feedback-from-junior",
        role="mentee",
        title="Receiving feedback from a junior colleague",
        minutes=5,
        summary=(
            "How to invite honest feedback from your mentor, take it well in the moment and show "
            "them that it made a difference."
        ),
        sections=(
            TrainingSection(
                heading="What it costs them to say it",
                paragraphs=(
                    (
                        "For your mentor, giving you feedback carries a risk you may not feel. You "
                        "are more senior, you may have influence over their career, and they "
                        "cannot be sure how you will react. Many junior colleagues have learned, "
                        "sensibly, to keep their views to themselves in front of leaders. If you "
                        "want honesty, you have to make it visibly safe."
                    ),
                    (
                        "Psychological safety, the shared belief that it is safe to take "
                        "interpersonal risks such as disagreeing or admitting a mistake, is built "
                        "through small, repeated signals. Each time you respond well to something "
                        "hard to hear, the next piece of feedback becomes easier to give. Each "
                        "time you respond badly, the next one may never come."
                    ),
                ),
            ),
            TrainingSection(
                heading="Ask for it, specifically",
                paragraphs=(
                    (
                        "A general “Any feedback for me?” usually gets a polite “No, all good”. "
                        "Specific requests work far better, because they show you mean it and give "
                        "your mentor a safe place to start:"
                    ),
                    (
                        "• “What is one thing about how I write emails that might put younger "
                        "colleagues off?”"
                    ),
                    "• “How did my message to the whole team last week come across at your level?”",
                    "• “What do you think I should stop doing in meetings?”",
                    "• “When I ask for views in a meeting, what stops people giving them?”",
                    (
                        "Agree early on how you would like to hear difficult things, and say out "
                        "loud that you want to hear them. Then keep asking: one invitation at the "
                        "start is rarely enough."
                    ),
                ),
            ),
            TrainingSection(
                heading="In the moment: listen, thank, clarify",
                paragraphs=(
                    (
                        "When feedback comes, your first instinct may be to explain, justify or "
                        "correct the facts. Hold that back. Instead:"
                    ),
                    "• Listen to the end without interrupting.",
                    (
                        "• Thank them, and mean it. “Thank you, I know that wasn't easy to say” "
                        "sends a strong signal."
                    ),
                    (
                        "• Ask for an example if it helps you understand: “Can you tell me about a "
                        "time you saw that?”"
                    ),
                    "• Check your understanding by summarising what you heard.",
                    (
                        "You do not have to agree on the spot. “I want to think about that” is an "
                        "honest and respectful answer. What matters is that your mentor leaves "
                        "feeling that it was worth saying."
                    ),
                    (
                        "Watch your face and tone as well as your words. A sigh, a raised eyebrow "
                        "or a sudden change of subject can undo a sincere thank you."
                    ),
                ),
            ),
            TrainingSection(
                heading="Afterwards: decide and close the loop",
                paragraphs=(
                    (
                        "Take time to reflect, perhaps in your private notes. Some feedback will "
                        "be right, some partly right, and some will reflect one person's view. "
                        "Weigh it on its merits, not on the seniority of the person who gave it."
                    ),
                    (
                        "Some feedback will be about the organisation rather than about you: a "
                        "process, a policy, or how a decision was communicated. Treat it as "
                        "intelligence you would not otherwise get, and ask your mentor whether, "
                        "and how, they would like you to use it."
                    ),
                    (
                        "Then close the loop. Tell your mentor what you decided and what you did, "
                        "even if you chose not to act, and explain why. Where their feedback leads "
                        "to a real change, record it in the insight log. Seeing their views make a "
                        "difference is what keeps a junior colleague speaking up, in this pairing "
                        "and throughout their career."
                    ),
                ),
            ),
            TrainingSection(
                heading="When feedback stings",
                paragraphs=(
                    (
                        "Some feedback will touch something you care about: your judgement, your "
                        "values or how you are seen. A strong reaction is normal, and you can "
                        "notice it without acting on it. Slow down and separate three things: what "
                        "was actually said, the story you are telling yourself about it, and what "
                        "you want to do next."
                    ),
                    (
                        "If you do react badly, repair it quickly. “I was defensive just now, and "
                        "I'd like to hear that again properly” costs you little, and tells your "
                        "mentor more about your intentions than any amount of encouragement."
                    ),
                ),
            ),
        ),
        reflection_prompt=(
            "What is one piece of feedback you would find hard to hear from a junior colleague, "
            "and how do you want to respond if you hear it?"
        ),
    ),
    TrainingModule(
        slug="confidentiality-mentee",
        role="mentee",
        title="Confidentiality and trust for mentees",
        minutes=5,
        summary=(
            "What stays between you and your mentor, who can see what in Upward, and why "
            "protecting a junior colleague's candour is your responsibility."
        ),
        sections=(
            TrainingSection(
                heading="Why confidentiality matters even more for your mentor",
                paragraphs=(
                    (
                        "You both need to trust that what is said in your sessions stays there. "
                        "But the stakes are not equal. If something you say travels, it may be "
                        "awkward; if something your mentor says about their manager, their team or "
                        "the organisation's culture travels, it could harm their career. Your "
                        "mentor will only be candid if they are confident it cannot come back to "
                        "them."
                    ),
                    (
                        "So treat what your mentor tells you as confidential by default. Do not "
                        "repeat it to their manager or colleagues, do not let it influence their "
                        "performance review or promotion decisions, and do not act on it in ways "
                        "that could be traced back to them. If you want to act on something they "
                        "have raised, agree with them first how to do it without identifying them. "
                        "Be careful with small signals, too: a knowing remark in a meeting, "
                        "passing on one of their ideas without asking, or telling their manager "
                        "how candid they are. Credit their ideas in public only if they want you "
                        "to."
                    ),
                ),
            ),
            TrainingSection(
                heading="What Upward keeps, and who can read it",
                paragraphs=(
                    "Upward is built around the same promises:",
                    (
                        "• Private notes are yours alone. They are encrypted when stored, and only "
                        "you, their author, can read them."
                    ),
                    (
                        "• Shared notes, session summaries, goals and insights are visible to the "
                        "two of you in the pair, and to nobody else."
                    ),
                    (
                        "• The coordinator sees metadata and aggregates: that your pair exists, "
                        "when sessions took place, how many goals you have and their status. They "
                        "never see what your notes say or how you answered an individual check-in."
                    ),
                    (
                        "• Check-in answers are reported only in aggregate, and only when enough "
                        "people have answered that nobody can be singled out."
                    ),
                    (
                        "• No rating of your mentor, or of you, reaches management. This is a "
                        "learning relationship, not an evaluation."
                    ),
                    (
                        "Your seniority changes none of this. Being a senior leader gives you no "
                        "access to your mentor's private notes, or to anyone else's. And if you "
                        "want the coordinator to know something, such as a scheduling problem or a "
                        "success worth celebrating, tell them yourself: nothing in your notes is "
                        "passed on for you."
                    ),
                ),
            ),
            TrainingSection(
                heading="What you share",
                paragraphs=(
                    (
                        "You help your mentor most by being open about how you think: how you make "
                        "decisions, what you find difficult, what you got wrong. Use judgement "
                        "with information that is commercially sensitive or not yet announced. It "
                        "is fair to say “I can't go into that yet” rather than share something "
                        "that would put your mentor in an awkward position. When you do share "
                        "something sensitive, say clearly that it stays between you. Be mindful of "
                        "the power gap when you ask for things: a request from a senior leader is "
                        "hard to refuse, so do not ask your mentor for favours outside the "
                        "program, such as information about colleagues or extra work for your "
                        "team."
                    ),
                    (
                        "Agree at the start what either of you may pass on, and name the one "
                        "sensible limit: a serious risk to someone's safety, or something "
                        "unlawful, goes to the coordinator or through the organisation's usual "
                        "reporting route."
                    ),
                ),
            ),
            TrainingSection(
                heading="When something is not right",
                paragraphs=(
                    (
                        "If the pairing feels uncomfortable, one-sided or unproductive, try "
                        "raising it with your mentor first. If that is not possible, use the “ask "
                        "the coordinator for support” button: your request goes only to the "
                        "coordinator of your program, not to your mentor, and it is handled in "
                        "confidence."
                    ),
                    (
                        "Either of you can end the pairing without blame. The other person is told "
                        "only that it has ended, never why, and you can both be matched again. If "
                        "your mentor ends it, accept the decision graciously and do not press them "
                        "for reasons; making it easy to leave is part of the same trust."
                    ),
                ),
            ),
        ),
        reflection_prompt=(
            "What would you want your mentor to be sure of about confidentiality, and what will "
            "you do to show them it is true?"
        ),
    ),
)

_MODULES_BY_SLUG: dict[str, TrainingModule] = {module.slug: module for module in TRAINING_MODULES}


def modules_for(role: Role) -> tuple[TrainingModule, ...]:
    """The built-in training modules for one role, in the order they are meant to be read."""
    if role not in get_args(Role):
        raise ValueError(f"unknown role {role!r}; expected one of {get_args(Role)}")
    return tuple(module for module in TRAINING_MODULES if module.role == role)


def module_by_slug(slug: str) -> TrainingModule:
    """The built-in module with this slug; ``KeyError`` naming the slug if there is none."""
    try:
        return _MODULES_BY_SLUG[slug]
    except KeyError:
        raise KeyError(f"no built-in training module has the slug {slug!r}") from None
