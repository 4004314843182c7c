/**
 * Deterministic benchmark corpora: documents that look like the real ones (YAML front matter,
 * prose paragraphs of real corpus sentences mixed with generated ones carrying names, places,
 * numbers and a vocabulary that grows with the corpus), and natural-language questions built
 * from templates and the same vocabulary. Same seed, same files, same questions.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as corpusLoader from "../../src/corpus/load.ts";
import { sentences } from "../../src/corpus/passages.ts";
import { tokenize } from "../../src/text/analyzer.ts";

/** mulberry32: a small seeded PRNG, enough for reproducible test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const int = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));
/** Log-uniform rank in [0, n): a Zipf-like draw, so a few words are common and most are rare. */
const zipf = (random: Random, n: number): number => Math.min(n - 1, Math.floor(n ** random()) - 1);

const FIRST_NAMES = [
  "Ana",
  "Luis",
  "María",
  "José",
  "Carmen",
  "Jorge",
  "Elena",
  "Miguel",
  "Sofía",
  "Diego",
  "Laura",
  "Andrés",
  "Isabel",
  "Rafael",
  "Lucía",
  "Tomás",
  "Grace",
  "Samuel",
  "Amina",
  "Omar",
  "Fatima",
  "Yusuf",
  "Leila",
  "Hassan",
  "Nadia",
  "Karim",
  "Priya",
  "Arjun",
  "Mei",
  "Chen",
  "Olga",
  "Dmitri",
  "Irina",
  "Pavel",
  "Chloe",
  "Marcus",
  "Sarah",
  "David",
  "Rachel",
  "Michael",
  "Jennifer",
  "Robert",
  "Patricia",
  "James",
  "Linda",
  "Thomas",
  "Emily",
  "Daniel",
  "Rosa",
  "Pedro",
  "Camila",
  "Mateo",
  "Valentina",
  "Santiago",
  "Gabriela",
  "Alejandro",
  "Teresa",
  "Ibrahim",
  "Aisha",
  "Kwame",
  "Efua",
  "Jean",
  "Marie",
  "Pierre",
  "Claire",
  "Hans",
  "Greta",
  "Lars",
  "Ingrid",
];
const LAST_NAMES = [
  "García",
  "Rodríguez",
  "Martínez",
  "Hernández",
  "López",
  "González",
  "Pérez",
  "Sánchez",
  "Ramírez",
  "Torres",
  "Flores",
  "Rivera",
  "Gómez",
  "Díaz",
  "Morales",
  "Ortiz",
  "Castillo",
  "Mendoza",
  "Vargas",
  "Romero",
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Miller",
  "Davis",
  "Wilson",
  "Anderson",
  "Taylor",
  "Thomas",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Thompson",
  "White",
  "Harris",
  "Clark",
  "Lewis",
  "Walker",
  "Hall",
  "Young",
  "King",
  "Wright",
  "Okafor",
  "Mensah",
  "Haddad",
  "Nasser",
  "Khan",
  "Patel",
  "Singh",
  "Nguyen",
  "Kim",
  "Park",
  "Ivanova",
  "Petrov",
  "Novak",
  "Kowalski",
  "Schmidt",
  "Müller",
  "Dubois",
  "Rossi",
  "Costa",
];
const PLACES = [
  "Panama",
  "Colombia",
  "Venezuela",
  "Ecuador",
  "Mexico",
  "Guatemala",
  "Honduras",
  "El Salvador",
  "Nicaragua",
  "Costa Rica",
  "Haiti",
  "Cuba",
  "Peru",
  "Chile",
  "Brazil",
  "Bolivia",
  "Texas",
  "Arizona",
  "California",
  "New Mexico",
  "Florida",
  "the Darién Gap",
  "Tijuana",
  "Ciudad Juárez",
  "El Paso",
  "San Diego",
  "Tapachula",
  "Necoclí",
  "Bajo Chiquito",
  "Lajas Blancas",
  "Metetí",
  "Yuma",
  "Del Rio",
  "Eagle Pass",
  "Nogales",
  "Reynosa",
  "Matamoros",
  "Laredo",
  "Miami",
  "Washington",
  "Bogotá",
  "Quito",
  "Lima",
  "Caracas",
  "Managua",
  "Tegucigalpa",
  "San José",
  "Guatemala City",
  "Mexico City",
  "Monterrey",
  "Chiapas",
  "Oaxaca",
  "Lampedusa",
  "Calais",
  "the Mediterranean",
  "Libya",
  "Tunisia",
  "Morocco",
  "Senegal",
  "Greece",
  "Turkey",
  "Italy",
  "Spain",
  "the Canary Islands",
  "Ceuta",
  "Melilla",
  "Poland",
  "Belarus",
  "Germany",
  "Sweden",
];
const ORGANIZATIONS = [
  "Department of Homeland Security",
  "State Department",
  "Customs and Border Protection",
  "Immigration and Customs Enforcement",
  "U.S. Citizenship and Immigration Services",
  "National Security Council",
  "International Organization for Migration",
  "United Nations Refugee Agency",
  "Doctors Without Borders",
  "Red Cross",
  "Panamanian National Migration Service",
  "Mexican National Guard",
  "European Commission",
  "Frontex",
  "Human Rights Watch",
  "Amnesty International",
  "Migration Policy Institute",
  "American Immigration Council",
  "Border Patrol",
  "Department of Justice",
  "Ministry of Public Security",
  "Senate Judiciary Committee",
  "House Homeland Security Committee",
];
const ROLES = [
  "spokesperson",
  "director",
  "senior official",
  "researcher",
  "analyst",
  "lawyer",
  "minister",
  "deputy secretary",
  "field coordinator",
  "regional chief",
  "advocate",
  "professor",
  "commissioner",
  "ambassador",
  "mayor",
  "governor",
  "press officer",
  "caseworker",
];
const OUTLETS = [
  "CBS News",
  "Al Jazeera",
  "The Christian Post",
  "U.S. Department of State",
  "Reuters",
  "Associated Press",
  "The Guardian",
  "El País",
  "La Prensa",
  "BBC News",
  "NPR",
  "Politico",
  "The New York Times",
  "The Washington Post",
  "Los Angeles Times",
  "Miami Herald",
  "Border Report",
  "El Faro",
  "Infobae",
  "Deutsche Welle",
];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const GROUPS = [
  "migrants",
  "asylum seekers",
  "families",
  "children",
  "unaccompanied minors",
  "travelers",
  "refugees",
  "workers",
  "deportees",
  "detainees",
  "people",
  "Venezuelans",
  "Haitians",
  "Ecuadorians",
  "Colombians",
  "Cubans",
  "Chinese nationals",
  "Afghans",
];
const VERBS_PAST = [
  "crossed",
  "reached",
  "left",
  "entered",
  "returned to",
  "were deported from",
  "were flown to",
  "were detained in",
  "were stopped near",
  "applied for asylum in",
  "were registered in",
  "walked through",
  "were screened in",
  "were removed from",
  "arrived in",
];
const ACTIONS = [
  "deport",
  "screen",
  "detain",
  "register",
  "return",
  "shelter",
  "process",
  "train",
  "fund",
  "expel",
  "relocate",
  "protect",
  "resettle",
  "monitor",
  "vet",
];
const TOPICS = [
  "deportation flights",
  "the asylum rule",
  "the border agreement",
  "removal flights",
  "visa requirements",
  "humanitarian parole",
  "the jungle crossing",
  "smuggling networks",
  "repatriation costs",
  "the memorandum of understanding",
  "processing centers",
  "family detention",
  "work permits",
  "temporary protected status",
  "the asylum backlog",
  "border enforcement",
  "reception centers",
  "biometric screening",
  "the CBP One app",
  "safe mobility offices",
  "labor pathways",
  "the Title 42 policy",
  "expedited removal",
];
const CONNECTIVES = [
  "However,",
  "Meanwhile,",
  "Since then,",
  "In recent weeks,",
  "At the same time,",
  "According to officials,",
  "Last year,",
  "By contrast,",
  "In a statement,",
  "Still,",
];

const syllables = [
  "ba",
  "ca",
  "da",
  "fe",
  "go",
  "hu",
  "ji",
  "ka",
  "lo",
  "ma",
  "ne",
  "pi",
  "qua",
  "ro",
  "sa",
  "te",
  "vi",
  "xo",
  "ya",
  "zu",
  "bra",
  "cre",
  "dro",
  "fla",
  "gri",
  "pla",
  "stro",
  "tra",
  "ver",
  "mon",
  "tal",
  "ren",
  "dor",
  "lin",
  "mar",
  "nor",
  "pel",
  "sin",
  "tor",
  "vel",
];

/** Invented words, so the vocabulary keeps growing with the corpus as real vocabularies do. */
function inventedWords(count: number, random: Random): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    let word = "";
    for (let n = int(random, 2, 4); n > 0; n--) word += pick(random, syllables);
    if (!seen.has(word)) {
      seen.add(word);
      out.push(word);
    }
  }
  return out;
}

export interface Vocabulary {
  /** Real sentences of the sample documents (each a complete sentence). */
  sentences: string[];
  /** Every word occurrence of the sample documents that is not a stop-looking short word: drawing one follows real frequencies. */
  words: string[];
  invented: string[];
}

/** Sentences and words of the real corpus, read the way the bot reads it. */
export async function readVocabulary(corpusDir: string, seed = 7): Promise<Vocabulary> {
  const corpus = await corpusLoader.loadCorpus(corpusDir);
  const found: string[] = [];
  const words: string[] = [];
  for (const doc of corpus.documents) {
    for (const paragraph of doc.text.split("\n\n")) {
      for (const span of sentences(paragraph)) {
        const sentence = paragraph.slice(span.start, span.end);
        if (sentence.length >= 40 && sentence.length <= 300 && /[.!?]["”’]?$/u.test(sentence)) {
          found.push(sentence);
        }
      }
      for (const word of tokenize(paragraph)) if (/^\p{L}{4,}$/u.test(word)) words.push(word);
    }
  }
  if (found.length === 0) throw new Error(`no sentences found in ${corpusDir}`);
  return { sentences: found, words, invented: inventedWords(60_000, prng(seed)) };
}

class Writer {
  readonly #random: Random;
  readonly #vocabulary: Vocabulary;
  /** How much of the invented vocabulary is in use: grows with the corpus size. */
  readonly #inventedRange: number;

  constructor(random: Random, vocabulary: Vocabulary, passages: number) {
    this.#random = random;
    this.#vocabulary = vocabulary;
    this.#inventedRange = Math.min(vocabulary.invented.length, Math.max(500, passages / 2));
  }

  person(): string {
    return `${pick(this.#random, FIRST_NAMES)} ${pick(this.#random, LAST_NAMES)}`;
  }

  word(): string {
    const r = this.#random;
    return r() < 0.75
      ? pick(r, this.#vocabulary.words)
      : (this.#vocabulary.invented[zipf(r, this.#inventedRange)] as string);
  }

  number(): string {
    const r = this.#random;
    const n = r() < 0.5 ? int(r, 2, 999) : int(r, 1_000, 900_000);
    return n >= 1000 ? n.toLocaleString("en-US") : String(n);
  }

  /** One sentence: a real one (numbers sometimes changed), or one of several generated shapes. */
  sentence(): string {
    const r = this.#random;
    const roll = r();
    if (roll < 0.3) {
      const real = pick(r, this.#vocabulary.sentences);
      return r() < 0.5 ? real.replace(/\d[\d,]*/gu, () => this.number()) : real;
    }
    const place = pick(r, PLACES);
    const group = pick(r, GROUPS);
    const year = int(r, 2015, 2025);
    switch (Math.floor(r() * 7)) {
      case 0:
        return `${this.person()}, a ${pick(r, ROLES)} at the ${pick(r, ORGANIZATIONS)}, said on ${pick(r, WEEKDAYS)} that ${this.number()} ${group} ${pick(r, VERBS_PAST)} ${place} in ${pick(r, MONTHS)}.`;
      case 1:
        return `${pick(r, CONNECTIVES)} the ${pick(r, ORGANIZATIONS)} agreed to ${pick(r, ACTIONS)} ${group} in ${place} under a plan that covers ${pick(r, TOPICS)} and the ${this.word()} ${this.word()}.`;
      case 2:
        return `The number of ${group} who ${pick(r, VERBS_PAST)} ${place} rose to ${this.number()} in ${year}, up from ${this.number()} the year before, according to the ${pick(r, ORGANIZATIONS)}.`;
      case 3:
        return `"We will not ${pick(r, ACTIONS)} anyone who has a ${this.word()} claim to stay," ${this.person()}, the ${pick(r, ROLES)}, told ${pick(r, OUTLETS)} in ${place}.`;
      case 4:
        return `Critics of ${pick(r, TOPICS)} in ${place} say the ${this.word()} of the ${this.word()} has left ${this.number()} ${group} without a ${this.word()} or a way to ${pick(r, ACTIONS)} their ${this.word()}.`;
      case 5:
        return `In ${pick(r, MONTHS)} ${year}, officials from ${place} and ${pick(r, PLACES)} met in ${pick(r, PLACES)} to discuss ${pick(r, TOPICS)}, the ${this.word()} ${this.word()} and the cost of ${this.word()} ${this.word()}.`;
      default:
        return `The ${this.word()} ${this.word()} in ${place} was ${this.word()} by the ${this.word()} of ${this.word()}, and ${this.number()} ${group} were waiting for a ${this.word()} ${this.word()} by ${pick(r, MONTHS)}.`;
    }
  }

  /** A paragraph the engine cuts into exactly one passage: under 320 characters before its last sentence, at most 590 in all. */
  paragraph(): string {
    const parts: string[] = [];
    let length = 0;
    for (let tries = 0; parts.length < 3 && tries < 8; tries++) {
      const sentence = this.sentence();
      const next = length === 0 ? sentence.length : length + 1 + sentence.length;
      if (next > 590) continue;
      parts.push(sentence);
      length = next;
      if (length >= 300 || (parts.length >= 2 && this.#random() < 0.4)) break;
    }
    return parts.join(" ");
  }

  headline(): string {
    const r = this.#random;
    switch (Math.floor(r() * 4)) {
      case 0:
        return `${pick(r, PLACES)} and ${pick(r, PLACES)} sign deal on ${pick(r, TOPICS)}`;
      case 1:
        return `${this.number()} ${pick(r, GROUPS)} ${pick(r, VERBS_PAST)} ${pick(r, PLACES)} this year`;
      case 2:
        return `${pick(r, ORGANIZATIONS)} to ${pick(r, ACTIONS)} ${pick(r, GROUPS)} in ${pick(r, PLACES)}`;
      default:
        return `What the new ${pick(r, TOPICS).replace(/^the /u, "")} means for ${pick(r, GROUPS)}`;
    }
  }

  date(): string {
    const r = this.#random;
    const month = String(int(r, 1, 12)).padStart(2, "0");
    const day = String(int(r, 1, 28)).padStart(2, "0");
    return `${int(r, 2018, 2025)}-${month}-${day}`;
  }
}

export interface GeneratedCorpus {
  dir: string;
  files: string[];
  /** Paragraphs written; each is cut into one passage. */
  passages: number;
  bytes: number;
}

/** The loader's limit on document files in one folder, if it has one. */
const FILE_LIMIT =
  (corpusLoader as unknown as { MAX_FILES?: number }).MAX_FILES ?? Number.POSITIVE_INFINITY;

/**
 * Paragraphs per document: 3 to 15 like news articles, or longer documents (reports) when
 * that many files would pass the loader's file limit.
 */
function paragraphRange(passages: number): [min: number, max: number] {
  const average = passages / (0.9 * FILE_LIMIT);
  if (average <= 9) return [3, 15];
  return [Math.ceil(average * 0.5), Math.floor(average * 1.5)];
}

/**
 * Writes documents of several paragraphs each (`paragraphs`: fewest and most per document)
 * until `passages` paragraphs exist.
 */
export async function writeCorpus(
  dir: string,
  passages: number,
  vocabulary: Vocabulary,
  seed = 1,
  paragraphs: [fewest: number, most: number] = paragraphRange(passages),
): Promise<GeneratedCorpus> {
  await mkdir(dir, { recursive: true });
  const random = prng(seed * 7919 + passages);
  const writer = new Writer(random, vocabulary, passages);
  const files: string[] = [];
  let written = 0;
  let bytes = 0;
  const pending: Promise<void>[] = [];
  const [fewest, most] = paragraphs;
  while (written < passages) {
    const count = Math.min(passages - written, int(random, fewest, most));
    const body = Array.from({ length: count }, () => writer.paragraph()).join("\n");
    const front = [
      "---",
      `title: ${JSON.stringify(writer.headline())}`,
      `outlet: ${JSON.stringify(pick(random, OUTLETS))}`,
      `author: ${JSON.stringify(writer.person())}`,
      `published: "${writer.date()}"`,
      "---",
    ].join("\n");
    const file = `doc-${String(files.length).padStart(6, "0")}.md`;
    const text = `${front}\n${body}\n`;
    files.push(file);
    written += count;
    bytes += Buffer.byteLength(text);
    pending.push(writeFile(join(dir, file), text));
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return { dir, files, passages: written, bytes };
}

/** A paragraph in the same style, for changing one document between reloads. */
export function extraParagraph(vocabulary: Vocabulary, seed: number): string {
  return new Writer(prng(seed), vocabulary, 1000).paragraph();
}

/** Questions people ask: templates filled with the corpus vocabulary, names and places. */
export function questions(count: number, vocabulary: Vocabulary, seed = 3): string[] {
  const random = prng(seed);
  const writer = new Writer(random, vocabulary, 100_000);
  const out: string[] = [];
  const fromSentence = (): string => {
    const words = tokenize(pick(random, vocabulary.sentences)).filter((w) => w.length >= 4);
    const start = int(random, 0, Math.max(0, words.length - 4));
    return words.slice(start, start + int(random, 2, 4)).join(" ");
  };
  while (out.length < count) {
    const r = random;
    const place = pick(r, PLACES);
    const group = pick(r, GROUPS);
    const topic = pick(r, TOPICS);
    switch (Math.floor(r() * 12)) {
      case 0:
        out.push(`How many ${group} crossed ${place} in ${int(r, 2015, 2025)}?`);
        break;
      case 1:
        out.push(`Who pays for the deportation flights from ${place}?`);
        break;
      case 2:
        out.push(`What did ${writer.person()} say about ${topic}?`);
        break;
      case 3:
        out.push(`Why did the ${pick(r, ORGANIZATIONS)} agree to ${pick(r, ACTIONS)} ${group}?`);
        break;
      case 4:
        out.push(`What is the agreement between ${place} and ${pick(r, PLACES)} on ${topic}?`);
        break;
      case 5:
        out.push(`When will ${place} ${pick(r, ACTIONS)} ${group} who ${pick(r, VERBS_PAST)} it?`);
        break;
      case 6:
        out.push(`Is it true that ${fromSentence()}?`);
        break;
      case 7:
        out.push(`What happened with ${fromSentence()} in ${place}?`);
        break;
      case 8:
        out.push(`tell me about ${topic} and the ${writer.word()} ${writer.word()}`);
        break;
      case 9:
        out.push(`How much does ${topic} cost ${place}?`);
        break;
      case 10:
        out.push(`Which ${group} were affected by ${topic} in ${pick(r, MONTHS)}?`);
        break;
      default:
        out.push(`${fromSentence()} ${writer.word()}`);
    }
  }
  return out;
}
