/**
 * A deterministic, synthetic edition for the site benchmark: by default 5,000 papers, 300 people in every role
 * (30 distinct generated JPEG portraits, reused) and a 3-day program of ~200 sessions in 4 parallel rooms.
 *
 * Same seed, same bytes: a seeded PRNG (mulberry32) drives everything, never Math.random or the clock.
 * Everything is validated with the content model (src/model/) before anything is written, so the benchmark
 * fails loudly when the generator drifts from the model.
 *
 *   node bench/generate-edition.ts [content-dir] [--papers 5000] [--people 300] [--seed 42] [--id bench_5000] [--every-talk]
 *
 * writes <content-dir>/<id>/{edition,people,schedule,papers}.json and <content-dir>/<id>/photos/*.jpg
 * (content-dir defaults to .bench/content-<papers>).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { z } from 'astro/zod';
import { checkReferences } from '../content-store/read.ts';
import {
  editionSchema,
  FILES,
  LINK_KINDS,
  paperSchema,
  personSchema,
  scheduleItemSchema,
  type CollectionName,
  type Edition,
  type Paper,
  type Person,
  type Role,
  type ScheduleItem,
} from '../src/model/index.ts';

export interface GenerateOptions {
  /** The content folder to write into; the edition goes to `<contentDir>/<id>/` (replaced if present). */
  contentDir: string;
  /** Edition id (folder name). */
  id?: string;
  papers?: number;
  people?: number;
  /** Distinct portraits; people with photos reuse them. */
  photos?: number;
  seed?: number;
  /**
   * Give every oral and lightning paper a talk slot, in as many parallel rooms as that takes (at least 4), so that
   * the program grows with the papers (~30 % of them); default false: 4 rooms, 202 sessions whatever the papers.
   */
  everyTalk?: boolean;
}

export interface GeneratedEdition {
  id: string;
  dir: string;
  counts: { papers: number; people: number; sessions: number; photos: number; photoBytes: number };
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a tiny, fast, seedable 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, count);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

const FIRST_NAMES = [
  'Aisha',
  'Alejandro',
  'Amara',
  'Andrei',
  'Anika',
  'Arjun',
  'Beatriz',
  'Bo',
  'Chen',
  'Chiara',
  'Chloé',
  'Daniel',
  'Dmitri',
  'Elena',
  'Emeka',
  'Fatima',
  'Felix',
  'Hana',
  'Hiroshi',
  'Ines',
  'Ivan',
  'Jae-won',
  'Javier',
  'Jonas',
  'Julia',
  'Kavya',
  'Kenji',
  'Laila',
  'Lars',
  'Leila',
  'Li',
  'Lucas',
  'Maja',
  'Marco',
  'María',
  'Mei',
  'Mohammed',
  'Nadia',
  'Naveen',
  'Nia',
  'Noah',
  'Oluwaseun',
  'Omar',
  'Pablo',
  'Priya',
  'Qiang',
  'Rafael',
  'Rania',
  'Ravi',
  'Rosa',
  'Saanvi',
  'Samuel',
  'Sara',
  'Sebastian',
  'Seo-yeon',
  'Shreya',
  'Sofia',
  'Tariq',
  'Thomas',
  'Tomás',
  'Valentina',
  'Wei',
  'Xin',
  'Yara',
  'Yuki',
  'Yusuf',
  'Zainab',
  'Zhang',
  'Zoë',
  'Ólafur',
] as const;

const LAST_NAMES = [
  'Abebe',
  'Adeyemi',
  'Ahmed',
  'Almeida',
  'Andersson',
  'Bauer',
  'Bianchi',
  'Chakraborty',
  'Chen',
  'Cohen',
  'Costa',
  'Dubois',
  'Fernández',
  'Fischer',
  'García',
  'Gupta',
  'Haddad',
  'Hansen',
  'Hernández',
  'Hoang',
  'Huang',
  'Ivanova',
  'Jensen',
  'Kang',
  'Kim',
  'Kowalski',
  'Kumar',
  'Lee',
  'Li',
  'Liu',
  'López',
  'Martin',
  'Müller',
  'Nakamura',
  'Nguyen',
  'Novak',
  'Okafor',
  'Olsen',
  'Park',
  'Patel',
  'Petrov',
  'Popescu',
  'Ramírez',
  'Rossi',
  'Sato',
  'Schmidt',
  'Silva',
  'Singh',
  'Smith',
  'Suzuki',
  'Tanaka',
  'Wang',
  'Wu',
  'Yamamoto',
  'Yang',
  'Yilmaz',
  'Zhang',
  'Zhao',
  'Zhou',
  'de Vries',
  'van der Berg',
  "O'Connor",
] as const;

const INSTITUTIONS = [
  'University of Amsterdam',
  'ETH Zürich',
  'Tsinghua University',
  'Carnegie Mellon University',
  'University of Tokyo',
  'KAIST',
  'University of Cape Town',
  'Universidad de Buenos Aires',
  'IIT Bombay',
  'University of Toronto',
  'Sorbonne Université',
  'TU Munich',
  'University of Melbourne',
  'National University of Singapore',
  'University of Edinburgh',
  'Stanford University',
  'Google DeepMind',
  'Microsoft Research',
  'Meta AI',
  'Amazon Science',
  'Allen Institute for AI',
  'Mila – Quebec AI Institute',
  'University of Washington',
  'Peking University',
  'EPFL',
  'University of Copenhagen',
  'Max Planck Institute for Informatics',
  'Hebrew University of Jerusalem',
  'University of São Paulo',
  'Seoul National University',
] as const;

const METHODS = [
  'Adaptive',
  'Contrastive',
  'Federated',
  'Retrieval-Augmented',
  'Preference-Aware',
  'Memory-Efficient',
  'Self-Supervised',
  'Causal',
  'Hierarchical',
  'Multi-Agent',
  'Privacy-Preserving',
  'Calibrated',
  'Sparse',
  'Steerable',
  'Persona-Conditioned',
  'Lightweight',
  'Fair',
  'Robust',
  'Interpretable',
  'Group-Aware',
] as const;

const NOUNS = [
  'Prompt Tuning',
  'Reward Models',
  'User Embeddings',
  'Preference Optimization',
  'Low-Rank Adapters',
  'Mixture of Experts',
  'Dialogue Policies',
  'Profile Summaries',
  'Language Agents',
  'Value Alignment',
  'Instruction Tuning',
  'Retrieval Pipelines',
  'Feedback Loops',
  'Memory Modules',
  'Decoding Strategies',
] as const;

const TASKS = [
  'Personalized Text Generation',
  'Recommendation',
  'Conversational Search',
  'Email Writing Assistance',
  'News Summarization',
  'Pluralistic Alignment',
  'Query Understanding',
  'Educational Tutoring',
  'Clinical Note Generation',
  'Code Completion',
  'Opinion Summarization',
  'Group Decision Support',
] as const;

/*
 * Titles and abstracts come from a small grammar over large word pools rather than from fixed sentences: the
 * text must compress like real prose (gzip -9 keeps ~30–40 % of English abstracts), or the page weights of the
 * benchmark would be flattered tenfold by repetition.
 */
const ADJECTIVES = (
  'adaptive scalable robust sparse dense hierarchical contrastive causal federated private fair calibrated ' +
  'lightweight multilingual cross-lingual multimodal interpretable steerable personalized group-aware ' +
  'preference-aware memory-efficient data-efficient sample-efficient modular compositional generative ' +
  'discriminative probabilistic bayesian variational latent explicit implicit long-term short-term temporal ' +
  'contextual conversational interactive incremental continual online offline noisy heterogeneous diverse ' +
  'demographic cultural pluralistic societal individual collective synthetic human-written low-resource ' +
  'high-stakes open-domain task-specific instruction-tuned retrieval-augmented parameter-efficient token-level ' +
  'sequence-level user-level population-level fine-grained coarse-grained zero-shot few-shot unsupervised ' +
  'semi-supervised weakly-supervised self-supervised reinforcement-based reward-free uncertainty-aware ' +
  'privacy-preserving bias-aware equitable transparent faithful grounded hallucination-free lossless lossy'
).split(' ');

const NOUNS_POOL = (
  'model adapter embedding representation profile persona preference reward policy objective loss prompt ' +
  'instruction retriever reranker ranker recommender summarizer generator decoder encoder tokenizer corpus ' +
  'benchmark dataset metric evaluation protocol annotation judgment rating comparison ranking feedback signal ' +
  'history session query document passage response dialogue conversation utterance memory cache index ' +
  'distribution shift drift bias disparity fairness privacy leakage attack defense audit guideline norm value ' +
  'community group population cohort user author reader annotator expert novice student clinician developer ' +
  'assistant agent planner critic verifier explanation rationale chain trajectory curriculum schedule ' +
  'regularizer constraint budget latency throughput footprint compression quantization distillation pruning ' +
  'mixture router gate layer head attention context window vocabulary lexicon style tone register dialect ' +
  'stance opinion sentiment topic intent goal task domain scenario setting deployment interface platform device'
).split(' ');

const VERBS_WE = (
  'propose introduce present develop design study analyse investigate formalize characterize benchmark ' +
  'evaluate quantify measure compare revisit extend generalize derive prove demonstrate release curate ' +
  'collect annotate construct train fine-tune distil calibrate align personalize adapt audit probe simulate'
).split(' ');

const VERBS_3RD = (
  'improves reduces outperforms matches captures encodes predicts explains mitigates amplifies preserves ' +
  'exploits leverages combines decouples conditions regularizes constrains recovers identifies separates ' +
  'aggregates transfers generalizes scales degrades stabilizes accelerates simplifies complements replaces ' +
  'reveals exposes underestimates overestimates correlates interacts competes'
).split(' ');

const ADVERBS = (
  'consistently substantially significantly markedly slightly rarely often jointly explicitly implicitly ' +
  'efficiently reliably robustly surprisingly empirically theoretically provably naturally directly'
).split(' ');

const PREPOSITIONS = ['for', 'across', 'under', 'without', 'beyond', 'within', 'between', 'through', 'over', 'against', 'via', 'among'];
const CONNECTORS = ['while', 'whereas', 'because', 'although', 'even when', 'provided that', 'so that', 'unless', 'since'];

function plural(noun: string): string {
  if (/(s|x|ch|sh)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A noun phrase: 0–2 adjectives, a noun (sometimes a compound), singular or plural. */
function nounPhrase(r: Random, options: { article?: boolean; singular?: boolean } = {}): string {
  const words: string[] = [];
  for (let i = r.int(0, 2); i > 0; i--) words.push(r.pick(ADJECTIVES));
  if (r.chance(0.35)) words.push(r.pick(NOUNS_POOL));
  const noun = r.pick(NOUNS_POOL);
  if (!options.singular && r.chance(0.5)) {
    words.push(plural(noun));
    return words.join(' ');
  }
  words.push(noun);
  const phrase = words.join(' ');
  if (options.article === false) return phrase;
  return r.chance(0.5) ? `the ${phrase}` : `${/^[aeiou]/.test(phrase) ? 'an' : 'a'} ${phrase}`;
}

const prepositional = (r: Random) => `${r.pick(PREPOSITIONS)} ${nounPhrase(r)}`;

const SENTENCE_PATTERNS: ((r: Random) => string)[] = [
  (r) =>
    `${capitalize(nounPhrase(r, { singular: true }))} ${r.pick(VERBS_3RD)} ${nounPhrase(r)} ${prepositional(r)}, ${r.pick(CONNECTORS)} ${nounPhrase(r, { singular: true })} ${r.pick(VERBS_3RD)} ${nounPhrase(r)}.`,
  (r) =>
    `We ${r.pick(VERBS_WE)} ${nounPhrase(r, { singular: true })} that ${r.pick(VERBS_3RD)} ${nounPhrase(r)} ${prepositional(r)} and ${r.pick(VERBS_3RD)} ${nounPhrase(r)}.`,
  (r) => `We ${r.pick(ADVERBS)} ${r.pick(VERBS_WE)} ${nounPhrase(r)} ${prepositional(r)} ${prepositional(r)}.`,
  (r) =>
    `Unlike ${nounPhrase(r, { article: false })}, our ${r.pick(NOUNS_POOL)} ${r.pick(ADVERBS)} ${r.pick(VERBS_3RD)} ${nounPhrase(r)} ${prepositional(r)}.`,
  (r) =>
    `Experiments on ${r.int(2, 14)} ${r.pick(ADJECTIVES)} ${plural(r.pick(NOUNS_POOL))} show that ${nounPhrase(r, { singular: true })} ${r.pick(VERBS_3RD)} ` +
    `${nounPhrase(r)} by ${r.int(1, 38)}.${r.int(0, 9)}% ${prepositional(r)}.`,
  (r) =>
    `A ${r.pick(['user study', 'human evaluation', 'case study', 'large-scale analysis', 'controlled experiment', 'field deployment'])} with ${r.int(12, 9000)} ${plural(r.pick(NOUNS_POOL))} ${r.pick(ADVERBS)} ${r.pick(['confirms', 'suggests', 'shows', 'indicates'])} that ${nounPhrase(r, { singular: true })} ${r.pick(VERBS_3RD)} ${nounPhrase(r)}.`,
  (r) =>
    `${capitalize(r.pick(ADVERBS))}, ${nounPhrase(r, { singular: true })} ${prepositional(r)} ${r.pick(VERBS_3RD)} ${nounPhrase(r)}, which ${r.pick(VERBS_3RD)} **${nounPhrase(r, { article: false })}**.`,
  (r) => `We also ${r.pick(VERBS_WE)} ${nounPhrase(r)} ${prepositional(r)} and ${r.pick(VERBS_WE)} ${nounPhrase(r)} ${prepositional(r)}.`,
  (r) =>
    `Our analysis ${r.pick(VERBS_3RD)} ${nounPhrase(r)} ${prepositional(r)}, ${r.pick(CONNECTORS)} ${nounPhrase(r, { singular: true })} ${r.pick(ADVERBS)} ${r.pick(VERBS_3RD)} ${nounPhrase(r)}.`,
];

const TITLE_PATTERNS: ((r: Random) => string)[] = [
  (r) => titleCase(`${nounPhrase(r, { article: false })} for ${nounPhrase(r, { article: false })}`),
  (r) => titleCase(`${nounPhrase(r, { article: false })} ${prepositional(r)}`),
  (r) => `${acronym(r)}: ${titleCase(`${nounPhrase(r, { article: false })} for ${nounPhrase(r, { article: false })}`)}`,
  (r) => titleCase(`towards ${nounPhrase(r, { article: false })} with ${nounPhrase(r, { article: false })}`),
  (r) =>
    `${titleCase(`do ${plural(r.pick(NOUNS_POOL))} ${r.pick(['help', 'hurt', 'matter for', 'generalize to'])} ${nounPhrase(r, { article: false })}`)}?`,
  (r) =>
    titleCase(
      `on the ${r.pick(['limits', 'role', 'robustness', 'fairness', 'cost', 'evaluation'])} of ${nounPhrase(r, { article: false })} ${prepositional(r)}`,
    ),
];

function titleCase(text: string): string {
  const small = new Set([
    'a',
    'an',
    'the',
    'for',
    'of',
    'with',
    'and',
    'to',
    'via',
    'over',
    'under',
    'across',
    'within',
    'between',
    'through',
    'among',
    'against',
    'without',
    'beyond',
  ]);
  return text
    .split(' ')
    .map((word, i) =>
      i > 0 && small.has(word) ? word : word.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()),
    )
    .join(' ');
}

function acronym(r: Random): string {
  const letters = 'ABCDEFGHIKLMNOPRSTVW';
  let word = '';
  for (let i = r.int(3, 6); i > 0; i--) word += letters[r.int(0, letters.length - 1)];
  return r.chance(0.4) ? `${word[0]}${word.slice(1).toLowerCase()}${r.pick(['', 'Bench', 'LM', 'Net'])}` : word;
}

const AWARDS = ['Best Paper', 'Best Student Paper', 'Honorable Mention', 'Best Demo'] as const;

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function personName(r: Random): string {
  return `${r.pick(FIRST_NAMES)} ${r.chance(0.1) ? `${r.pick(FIRST_NAMES)[0]}. ` : ''}${r.pick(LAST_NAMES)}`;
}

/** ~150 words of markdown: sentences until the length is reached. */
function abstract(r: Random, words = r.int(130, 170)): string {
  const sentences: string[] = [];
  let count = 0;
  while (count < words) {
    const sentence = r.pick(SENTENCE_PATTERNS)(r);
    sentences.push(sentence);
    count += sentence.split(' ').length;
  }
  return sentences.join(' ');
}

function paperLinks(r: Random, n: number): Paper['links'] {
  const links: Paper['links'] = {};
  const key = (n * 7919).toString(36).padStart(6, 'x');
  for (const kind of LINK_KINDS) {
    const p = { pdf: 0.85, arxiv: 0.5, code: 0.4, data: 0.12, slides: 0.2, video: 0.1 }[kind];
    if (!r.chance(p)) continue;
    links[kind] = {
      pdf: `https://openreview.net/pdf?id=${key}${n}`,
      arxiv: `https://arxiv.org/abs/24${String(r.int(1, 12)).padStart(2, '0')}.${String(r.int(1, 19999)).padStart(5, '0')}`,
      code: `https://github.com/example-lab-${r.int(1, 400)}/paper-${n}`,
      data: `https://huggingface.co/datasets/example/bench-${n}`,
      slides: `https://example.org/slides/${n}.pdf`,
      video: `https://www.youtube.com/watch?v=${key}${r.int(10000, 99999)}`,
    }[kind];
  }
  return links;
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

function generateEditionData(id: string): Edition {
  return {
    id,
    title: 'Benchmark Workshop on Large Language Models for Individuals, Groups, and Society',
    shortTitle: 'LLM-IGS Benchmark',
    description: 'A synthetic edition used to measure the build time and page weight of the site at scale.',
    dates: { start: '2025-07-14', end: '2025-07-16' },
    venue: { name: 'Congress Center', city: 'Vienna', country: 'Austria' },
    hostConference: { name: 'SIGIR 2025', url: 'https://sigir2025.example.org/' },
    timeZone: 'Europe/Vienna',
    overview:
      'This is a **synthetic edition** generated by `bench/generate-edition.ts`. It has the size of a very large ' +
      'workshop: thousands of accepted papers, hundreds of people and a three-day program in parallel rooms.\n\n' +
      'The recent advances in large language models have drawn attention to how these models can serve individuals, ' +
      'groups and society. This workshop brings together researchers and practitioners to discuss personalization, ' +
      'alignment, evaluation and the ethics of adapting language models to people.\n\n' +
      'Topics of the workshop include but are not limited to:',
    topics: [
      'Novel **models and algorithms** for adapting large language models to personal contexts.',
      'New developments in **aligning** large language models with individuals, groups, or society at large.',
      '**Evaluation of personalization and societal alignment**, including datasets, metrics, and benchmarks.',
      '**Personalizing LLMs under resource constraints**, for example on mobile devices.',
      '**Applications** in search, recommendation, writing assistance, education, and healthcare.',
      '**Ethics** of personalizing LLMs: privacy, fairness, bias, transparency, and diversity.',
    ],
    contact: { label: 'Email the organizers', url: 'mailto:chairs@example.org' },
    callForPapers: {
      text:
        'We invite submissions on any of the topics listed above. Papers are reviewed double-blind; accepted papers ' +
        'are presented as talks, lightning talks or posters.\n\nSee the [submission guidelines](https://example.org/cfp) for the format.',
      submissionUrl: 'https://openreview.net/group?id=example.org/Bench/2025',
      importantDates: [
        { label: 'Paper submission deadline', date: '2025-04-25', kind: 'deadline', time: '23:59' },
        { label: 'Notification of acceptance', date: '2025-05-23', kind: 'deadline', time: '23:59' },
        { label: 'Camera-ready deadline', date: '2025-06-13', kind: 'deadline', time: '23:59' },
        { label: 'Workshop days', date: '2025-07-14', kind: 'event', time: '23:59' },
      ],
    },
    otherEditions: [
      { title: '1st Workshop on Large Language Models for Individuals, Groups, and Society', url: 'https://example.org/2023/' },
      { title: '2nd Workshop on Large Language Models for Individuals, Groups, and Society', url: 'https://example.org/2024/' },
    ],
  };
}

function generatePapers(r: Random, count: number): Paper[] {
  const papers: Paper[] = [];
  for (let n = 1; n <= count; n++) {
    const authors = Array.from({ length: r.int(1, 8) }, () => personName(r));
    const roll = r.next();
    const presentation = roll < 0.12 ? 'oral' : roll < 0.3 ? 'lightning' : roll < 0.95 ? 'poster' : undefined;
    const paper: Paper = {
      id: String(n),
      title: r.pick(TITLE_PATTERNS)(r),
      authors,
      links: paperLinks(r, n),
      ...(r.chance(0.97) ? { abstract: abstract(r) } : {}),
      ...(presentation ? { presentation } : {}),
      ...(r.chance(0.006) ? { award: r.pick(AWARDS) } : {}),
    };
    papers.push(paper);
  }
  return papers;
}

/** Role sizes for `total` people: the program committee takes what the other roles leave. */
function roleSizes(total: number): Record<Role, number> {
  const sizes = { keynote: 6, invited: 9, panelist: 15, organizer: 20 };
  const pc = total - sizes.keynote - sizes.invited - sizes.panelist - sizes.organizer;
  if (pc < 1) throw new Error(`--people must be at least 51 (got ${total})`);
  return { ...sizes, 'program-committee': pc };
}

function generatePeople(r: Random, total: number, photos: string[]): Person[] {
  const people: Person[] = [];
  const used = new Set<string>();
  let photoIndex = 0;
  for (const [role, size] of Object.entries(roleSizes(total)) as [Role, number][]) {
    for (let i = 0; i < size; i++) {
      const name = personName(r);
      let id = slug(name);
      for (let k = 2; used.has(id); k++) id = `${slug(name)}-${k}`;
      used.add(id);
      const speaker = role === 'keynote' || role === 'invited' || role === 'panelist';
      const hasPhoto = role !== 'program-committee' ? r.chance(0.85) : r.chance(0.05);
      const photo = hasPhoto ? photos[photoIndex++ % photos.length] : undefined;
      const person: Person = {
        id,
        name,
        role,
        ...(r.chance(0.95) ? { affiliation: r.pick(INSTITUTIONS) } : {}),
        ...(photo ? { photo: `./photos/${photo}` } : {}),
        ...(r.chance(role === 'program-committee' ? 0.3 : 0.8) ? { homepage: `https://example.org/~${id}` } : {}),
        ...(speaker ? { talkTitle: `${r.pick(METHODS)} ${r.pick(NOUNS)} for ${r.pick(TASKS)}` } : {}),
        ...(speaker && role !== 'panelist' ? { abstract: abstract(r) } : {}),
        ...(role !== 'program-committee'
          ? {
              bio: `${name} is a researcher at ${r.pick(INSTITUTIONS)} working on ${r.pick(TASKS).toLowerCase()} and ${r.pick(NOUNS).toLowerCase()}.`,
            }
          : {}),
        ...(role !== 'program-committee' ? { order: i + 1 } : {}),
      };
      people.push(person);
    }
  }
  return people;
}

/** Three days, ~67 sessions a day: plenary talks in the main hall, two blocks of paper talks in 4 rooms (more with everyTalk). */
function generateSchedule(edition: Edition, people: Person[], papers: Paper[], everyTalk = false): ScheduleItem[] {
  const byRole = (role: Role) => people.filter((p) => p.role === role).map((p) => p.id);
  const keynotes = byRole('keynote');
  const invited = byRole('invited');
  const panelists = byRole('panelist');
  const talks = [...papers.filter((p) => p.presentation === 'oral'), ...papers.filter((p) => p.presentation === 'lightning')];
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const items: ScheduleItem[] = [];
  // 2 blocks of 7 slots a day for 3 days: 42 talk slots per room.
  const roomCount = everyTalk ? Math.max(4, Math.ceil(talks.length / 42)) : 4;
  const rooms = Array.from({ length: roomCount }, (_, i) => `Room ${i < 26 ? String.fromCharCode(65 + i) : i + 1}`);
  const main = 'Main hall';
  let talk = 0;
  const add = (day: string, start: string, end: string, item: Omit<ScheduleItem, 'start' | 'end' | 'speakers'> & { speakers?: string[] }) =>
    items.push({ speakers: [], ...item, start: `${day}T${start}`, end: `${day}T${end}` });
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const paperBlock = (day: string, d: number, block: number, from: string, slots: number) => {
    for (let slot = 0; slot < slots; slot++) {
      const start = clock(minutes(from) + slot * 15);
      const end = clock(minutes(from) + (slot + 1) * 15);
      for (const room of rooms) {
        const paper = talks[talk++ % Math.max(talks.length, 1)];
        if (!paper) continue;
        add(day, start, end, {
          id: `d${d}-b${block}-${slug(room)}-${slot + 1}`,
          title: `Paper talk - ${paper.title}`,
          kind: 'paper',
          paper: paper.id,
          room,
        });
      }
    }
  };
  for (let d = 1; d <= 3; d++) {
    const day = `2025-07-${String(13 + d).padStart(2, '0')}`;
    const k1 = keynotes[2 * d - 2]!;
    const k2 = keynotes[2 * d - 1]!;
    if (d === 1) add(day, '08:45', '09:00', { id: 'opening', title: 'Opening remarks', kind: 'opening', room: main });
    else add(day, '08:45', '09:00', { id: `d${d}-announcements`, title: 'Announcements', kind: 'other', room: main });
    add(day, '09:00', '10:00', { id: `keynote-${k1}`, title: `Keynote by ${nameOf.get(k1)}`, kind: 'keynote', speakers: [k1], room: main });
    add(day, '10:00', '10:30', { id: `d${d}-coffee-1`, title: 'Coffee break', kind: 'break' });
    paperBlock(day, d, 1, '10:30', 7);
    add(day, '12:15', '13:30', { id: `d${d}-lunch`, title: 'Lunch', kind: 'break' });
    for (let i = 0; i < 3; i++) {
      const speaker = invited[(d - 1) * 3 + i]!;
      add(day, clock(810 + i * 30), clock(840 + i * 30), {
        id: `invited-${speaker}`,
        title: `Invited talk by ${nameOf.get(speaker)}`,
        kind: 'invited',
        speakers: [speaker],
        room: main,
        ...(i === 2 && d === 2 ? { note: 'virtual talk' } : {}),
      });
    }
    paperBlock(day, d, 2, '15:00', 7);
    add(day, '16:45', '17:00', { id: `d${d}-coffee-2`, title: 'Coffee break', kind: 'break' });
    add(day, '17:00', '17:50', {
      id: `d${d}-panel`,
      title: `Panel discussion ${d}: ${['Personalization', 'Alignment', 'Evaluation'][d - 1]} in practice`,
      kind: 'panel',
      speakers: panelists.slice((d - 1) * 5, d * 5),
      room: main,
    });
    add(day, '17:50', '18:30', { id: `keynote-${k2}`, title: `Keynote by ${nameOf.get(k2)}`, kind: 'keynote', speakers: [k2], room: main });
    add(day, '18:30', '20:00', { id: `d${d}-posters`, title: `Poster session ${d}`, kind: 'poster', room: 'Foyer' });
    if (d === 3) add(day, '20:00', '20:15', { id: 'closing', title: 'Closing remarks and awards', kind: 'closing', room: main });
  }
  if (edition.dates.start !== items[0]!.start.slice(0, 10)) throw new Error('schedule does not start on the first day');
  return items;
}

/** A soft, head-and-shoulders silhouette on a gradient, with grain: 400×400 px, like a cropped portrait photo. */
async function portrait(r: Random, index: number): Promise<Buffer> {
  const size = 400;
  const pixels = Buffer.alloc(size * size * 3);
  const hue = (index * 37) % 360;
  const base = [hue, (hue + 120) % 360, (hue + 240) % 360].map((h) => 128 + Math.round(90 * Math.cos((h * Math.PI) / 180)));
  const skin = [r.int(120, 235), r.int(90, 190), r.int(70, 160)];
  const shirt = [r.int(20, 200), r.int(20, 200), r.int(20, 200)];
  const headY = r.int(140, 170);
  const headR = r.int(70, 90);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - size / 2;
      const inHead = dx * dx + (y - headY) ** 2 * 0.75 < headR * headR;
      const inBody = y > headY + headR * 0.9 && dx * dx + (y - size * 1.15) ** 2 * 0.6 < (size * 0.48) ** 2;
      const colour = inHead ? skin : inBody ? shirt : base.map((c, i) => c - (y * (i + 1)) / 12);
      const grain = (r.next() - 0.5) * 24;
      const o = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) pixels[o + c] = Math.max(0, Math.min(255, Math.round(colour[c]! + grain)));
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .jpeg({ quality: 82, mozjpeg: false })
    .toBuffer();
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

function check(collection: CollectionName, schema: z.ZodType, values: unknown[]): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new Error(
        `bench/generate-edition.ts drifted from the content model: ${FILES[collection]} entry ${index + 1}: ${z.prettifyError(result.error)}`,
      );
    }
    const id = (value as { id: string }).id;
    if (seen.has(id)) throw new Error(`bench/generate-edition.ts: ${FILES[collection]} has the id "${id}" twice`);
    seen.add(id);
  });
}

// ---------------------------------------------------------------------------------------------------------------

export async function generateEdition(options: GenerateOptions): Promise<GeneratedEdition> {
  const {
    contentDir,
    id = 'bench_5000',
    papers: paperCount = 5000,
    people: peopleCount = 300,
    photos: photoCount = 30,
    seed = 42,
  } = options;
  const r = new Random(seed);
  const photoNames = Array.from({ length: photoCount }, (_, i) => `portrait-${String(i + 1).padStart(2, '0')}.jpg`);

  const edition = generateEditionData(id);
  const papers = generatePapers(r, paperCount);
  const people = generatePeople(r, peopleCount, photoNames);
  const schedule = generateSchedule(edition, people, papers, options.everyTalk);

  check('editions', editionSchema, [edition]);
  check('papers', paperSchema, papers);
  check('people', personSchema, people);
  check('schedule', scheduleItemSchema, schedule);
  checkReferences(`${id}/generated`, schedule, new Set(people.map((p) => p.id)), new Set(papers.map((p) => p.id)));

  const photos = await Promise.all(photoNames.map((_, i) => portrait(new Random(seed * 1000 + i), i)));

  const dir = path.join(contentDir, id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'photos'), { recursive: true });
  const write = (file: string, value: unknown) => writeFileSync(path.join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
  write(FILES.editions, edition);
  write(FILES.papers, papers);
  write(FILES.people, people);
  write(FILES.schedule, schedule);
  photos.forEach((jpeg, i) => writeFileSync(path.join(dir, 'photos', photoNames[i]!), jpeg));

  return {
    id,
    dir,
    counts: {
      papers: papers.length,
      people: people.length,
      sessions: schedule.length,
      photos: photos.length,
      photoBytes: photos.reduce((sum, p) => sum + p.length, 0),
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      papers: { type: 'string', default: '5000' },
      people: { type: 'string', default: '300' },
      photos: { type: 'string', default: '30' },
      seed: { type: 'string', default: '42' },
      id: { type: 'string' },
      'every-talk': { type: 'boolean', default: false },
    },
  });
  const papers = Number(values.papers);
  const root = path.resolve(fileURLToPath(import.meta.url), '../..');
  const result = await generateEdition({
    contentDir: path.resolve(root, positionals[0] ?? `.bench/content-${papers}`),
    id: values.id ?? `bench_${papers}`,
    papers,
    people: Number(values.people),
    photos: Number(values.photos),
    seed: Number(values.seed),
    everyTalk: values['every-talk'],
  });
  const { counts } = result;
  console.log(
    `Wrote ${path.relative(process.cwd(), result.dir) || '.'}: ${counts.papers} papers, ${counts.people} people, ` +
      `${counts.sessions} sessions, ${counts.photos} photos (${Math.round(counts.photoBytes / 1024)} KiB).`,
  );
}
