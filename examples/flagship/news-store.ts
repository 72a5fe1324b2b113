/** One story of the news list. */
export interface Story {
  id: number;
  title: string;
  url: string;
  likes: number;
}

const TOPICS = ['tsgi 1.0 released', 'Streaming bodies with backpressure', 'Why environ is a plain object', 'Pre-fork servers, revisited', 'One app, four hosts'];

/**
 * The stories behind the API, in memory. Each app made by `createApp` has its own store;
 * under the pre-fork host every worker has one, so likes are counted per worker.
 */
export class NewsStore {
  readonly #stories: Story[];

  constructor(count = 25) {
    this.#stories = Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      title: `${TOPICS[i % TOPICS.length]} (part ${Math.floor(i / TOPICS.length) + 1})`,
      url: `https://news.example/stories/${i + 1}`,
      likes: 0,
    }));
  }

  get size(): number {
    return this.#stories.length;
  }

  /** Stories `offset` to `offset + limit`, newest (highest id) first. */
  page(offset: number, limit: number): Story[] {
    return [...this.#stories].reverse().slice(offset, offset + limit).map((story) => ({ ...story }));
  }

  get(id: number): Story | undefined {
    const story = this.#stories.find((s) => s.id === id);
    return story && { ...story };
  }

  like(id: number): Story | undefined {
    const story = this.#stories.find((s) => s.id === id);
    if (!story) return undefined;
    story.likes++;
    return { ...story };
  }
}
