import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detect } from './index.ts';

function addresses(text: string): string[] {
  return detect(text).filter((s) => s.label === 'ADDRESS').map((s) => text.slice(s.start, s.end));
}

describe('street addresses (R-DATA-2: geographic units smaller than a state)', () => {
  test('masks the unit said after a spoken street', () => {
    assert.deepEqual(addresses('caller: one sixty eight river street apartment nine b'), ['one sixty eight river street apartment nine b']);
  });

  test('masks a building number before the house number and a Hungarian "u." street', () => {
    assert.deepEqual(addresses('Send it to 704 1436 Redbud Drive today.'), ['704 1436 Redbud Drive']);
    assert.deepEqual(addresses('Our office is at 6076 Piroska u. 97. now.'), ['6076 Piroska u. 97']);
  });

  test('masks an intersection', () => {
    assert.deepEqual(addresses('Meet me at the corner of 35 Pentelis Str. and Waechter Turnpike tonight.'), ['the corner of 35 Pentelis Str. and Waechter Turnpike']);
  });

  test('masks a military or post-office box with the lines after it', () => {
    assert.deepEqual(addresses('Please return to Unit 4719 Box 7394\nDPO AP 70942 in case of an issue.'), ['Unit 4719 Box 7394\nDPO AP 70942']);
    assert.deepEqual(addresses('Mail: 77009 P.O. Box 255\n Suite 966\n Kangerlussuaq\n\n Greenland 21169'), ['77009 P.O. Box 255\n Suite 966\n Kangerlussuaq\n\n Greenland 21169']);
  });

  test('carries an address block across quoted lines of a forwarded e-mail', () => {
    assert.deepEqual(addresses('> 935 69 Gordon Terrace\n> Suite 828\n> Bashall Town'), ['935 69 Gordon Terrace\n> Suite 828\n> Bashall Town']);
  });

  test('masks streets whose street word comes first, with or without a house number', () => {
    assert.deepEqual(addresses('Megan lives on Via Tasso 129 street.'), ['Via Tasso 129']);
    assert.deepEqual(addresses('Meet at 010 63 Avenue du Golf Arabe Suite 910\nHellendoorn, OV 21072 later.'), ['010 63 Avenue du Golf Arabe Suite 910\nHellendoorn, OV 21072']);
    assert.deepEqual(addresses('Buy 12 Via Rail tickets.'), []);
  });

  test('carries a field label to its next line and an address over the lines below', () => {
    assert.deepEqual(addresses('Name:    Martim A Pereira\nAddress:     17693 Király u. 15.\nLyss, nan 50662'), ['17693 Király u. 15.\nLyss, nan 50662']);
  });

  test('masks a unit written before the house number, a postal code after a town and a short ZIP after its cue', () => {
    assert.deepEqual(addresses('Mrs. Yudina Apt. 675 62314 Mellemvej 32'), ['Apt. 675 62314 Mellemvej 32']);
    assert.deepEqual(addresses('We support a startup in ARENDAL 4844 in its mission.'), ['4844']);
    assert.deepEqual(addresses('My zip code is 880'), ['880']);
  });

  test('ends a street at its last street word and carries it over a town with small words in its name', () => {
    assert.deepEqual(addresses("It's in 675 224 Forrest Hill Road Suite 833 Milford New Zealand"), ['675 224 Forrest Hill Road Suite 833 Milford New Zealand']);
    assert.deepEqual(addresses('Send it to 2046 50 Point Walter Road Apt. 162, Chomutice u Horic v Podkrkonoší, Czech Republic 33156'), ['2046 50 Point Walter Road Apt. 162, Chomutice u Horic v Podkrkonoší, Czech Republic 33156']);
  });

  test('takes a street word of another language in lower case', () => {
    assert.deepEqual(addresses('it is 143 31 rue de la Hulotais Apt. 087'), ['143 31 rue de la Hulotais Apt. 087']);
  });

  test('carries an address over a Greek town and a country with a note in brackets', () => {
    const text = '928 Λ. Αλεξάνδρας 14\n Suite 112\n ΧΑΝ∆ΡΙΑ\n Cyprus (Greek) 51034';
    assert.deepEqual(addresses(text), [text]);
  });
});

describe('no street in a time or a day said in a call (R-DATA-2, issue 30)', () => {
  test('a spoken number before "am" or "pm", after "the", or before a weekday starts no street', () => {
    assert.deepEqual(addresses('please add an appointment at nine am wednesday at dr greens office'), []);
    assert.deepEqual(addresses('what day of the week does the twenty second fall on this month'), []);
    assert.deepEqual(addresses('i live at nine four three oak road'), ['nine four three oak road']);
  });
});
