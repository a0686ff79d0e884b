/** The part of @nlpjs/lang-id Pindai uses (the package ships no types). */
declare module '@nlpjs/lang-id' {
  export class StemmerId {
    stem(word: string): string;
  }
}
